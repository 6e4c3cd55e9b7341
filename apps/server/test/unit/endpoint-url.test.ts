import { describe, expect, it } from "vitest";
import { endpointUrlParts, maskEndpointUrl } from "../../src/domain/endpoint-url.js";

describe("endpoint URL masking", () => {
  it.each([
    // [url, shown, has secrets]
    ["https://example.com/hooks", "https://example.com/hooks", false],
    ["HTTPS://Example.com:443/a", "HTTPS://Example.com:443/a", false], // nothing to hide: kept exactly as sent
    ["https://example.com/hooks?", "https://example.com/hooks?", false],
    ["https://user:pass@example.com/p", "https://****:****@example.com/p", true],
    ["https://user:@example.com/p", "https://****@example.com/p", true], // no password: the user name is the secret
    ["https://sk_live_123@example.com/p", "https://****@example.com/p", true],
    ["https://u%40x:p%3Ass@example.com/", "https://****:****@example.com/", true],
    ["https://ghp_TOKEN:x-oauth-basic@example.com/p", "https://****:****@example.com/p", true], // a token as the user name
    ["https://example.com/p?token=abc", "https://example.com/p?token=****", true],
    ["https://example.com/p?v=2&sig=abc&empty=&flag", "https://example.com/p?v=****&sig=****&empty=&****", true],
    ["https://example.com/p?a=b=c", "https://example.com/p?a=****", true],
    ["https://example.com/p?X-Amz-Signature=ab%2Fcd", "https://example.com/p?X-Amz-Signature=****", true],
    ["https://example.com/p#access_token=abc", "https://example.com/p#****", true],
    ["https://a:b@example.com:8443/p/q?k=v#f", "https://****:****@example.com:8443/p/q?k=****#****", true],
    ["http://[::1]:8080/x?key=1", "http://[::1]:8080/x?key=****", true],
    ["not a url", "(invalid url)", true],
  ])("%s → %s", (url, shown, secret) => {
    const parts = endpointUrlParts(url);
    expect(parts.display).toBe(shown);
    expect(parts.hasSecrets).toBe(secret);
    expect(parts.containsMask).toBe(false);
    // Idempotent: masking what the API shows changes nothing.
    expect(maskEndpointUrl(parts.display)).toBe(parts.display);
  });

  it.each([
    ["https://user:****@example.com/p", true],
    ["https://****@example.com/p", true],
    ["https://example.com/p?token=****", true],
    ["https://example.com/p?****", true],
    ["https://example.com/p#****", true],
    ["https://****:real@example.com/p", true], // the user name is masked too: "****" there is a mask sent back
    ["https://user:%2A%2A%2A%2A@example.com/p", false], // a real password of four stars, percent-encoded
    ["https://example.com/****?a=b", false], // the path is never masked
    ["https://user:*****@example.com/p", false],
  ])("%s contains a mask: %s", (url, masked) => {
    expect(endpointUrlParts(url).containsMask).toBe(masked);
  });
});
