import { describe, expect, it } from "vitest";
import { checkEndpointUrl, redactUrl, type EgressPolicy } from "../../src/egress/index.js";

const open: EgressPolicy = { allow: [], httpsOnly: false };
const httpsOnly: EgressPolicy = { allow: [], httpsOnly: true };
const loopbackAllowed: EgressPolicy = { allow: ["127.0.0.1/32"], httpsOnly: false };

describe("checkEndpointUrl", () => {
  const invalid: [name: string, url: string, policy: EgressPolicy, message: RegExp][] = [
    ["ftp: scheme", "ftp://example.com/hook", open, /scheme "ftp:" is not allowed; use http: or https:/],
    ["file: scheme", "file:///etc/passwd", open, /scheme "file:" is not allowed/],
    ["javascript: scheme", "javascript:alert(1)", open, /scheme "javascript:" is not allowed/],
    ["data: scheme", "data:text/plain,hi", open, /scheme "data:" is not allowed/],
    ["missing host", "http://", open, /not a valid absolute URL/],
    ["empty host with port", "http://:8080/hook", open, /not a valid absolute URL/],
    ["relative URL", "/hook", open, /not a valid absolute URL/],
    ["not a URL", "hello world", open, /not a valid absolute URL/],
    ["http when httpsOnly", "http://example.com/hook", httpsOnly, /uses http: but only https: is allowed/],
    ["ftp when httpsOnly names https only", "ftp://example.com/", httpsOnly, /use https:$/],
  ];
  it.each(invalid)("refuses %s as invalid_url", (_name, url, policy, message) => {
    const result = checkEndpointUrl(url, policy);
    expect(result).toMatchObject({ ok: false, code: "invalid_url" });
    if (!result.ok) expect(result.message).toMatch(message);
  });

  const blocked: [name: string, url: string, range: string][] = [
    ["dotted loopback", "http://127.0.0.1/", "loopback"],
    ["decimal integer IPv4 http://2130706433/", "http://2130706433/", "loopback"],
    ["hex integer IPv4 http://0x7f000001/", "http://0x7f000001/", "loopback"],
    ["octal first octet http://0177.0.0.1/", "http://0177.0.0.1/", "loopback"],
    ["shortened http://127.1/", "http://127.1/", "loopback"],
    ["hex shortened http://0x7f.1/", "http://0x7f.1/", "loopback"],
    ["trailing dot http://127.0.0.1./", "http://127.0.0.1./", "loopback"],
    ["zero host http://0/", "http://0/", "unspecified"],
    ["IPv6 loopback http://[::1]/", "http://[::1]/", "loopback"],
    ["IPv4-mapped http://[::ffff:127.0.0.1]/", "http://[::ffff:127.0.0.1]/", "ipv4Mapped(loopback)"],
    ["IPv4-compatible http://[::127.0.0.1]/", "http://[::127.0.0.1]/", "ipv4Compatible(loopback)"],
    ["NAT64 http://[64:ff9b::7f00:1]/", "http://[64:ff9b::7f00:1]/", "nat64(loopback)"],
    ["metadata http://169.254.169.254/latest/meta-data/", "http://169.254.169.254/latest/meta-data/", "metadata"],
    ["metadata in decimal http://2852039166/", "http://2852039166/", "metadata"],
    ["IPv6 metadata http://[fd00:ec2::254]/", "http://[fd00:ec2::254]/", "metadata"],
    ["private https://10.0.0.1/", "https://10.0.0.1/", "private"],
    ["CGNAT http://100.64.0.1/", "http://100.64.0.1/", "carrierGradeNat"],
  ];
  it.each(blocked)("blocks %s", (_name, url, range) => {
    const result = checkEndpointUrl(url, open);
    expect(result).toMatchObject({ ok: false, code: "blocked_destination" });
    if (!result.ok) expect(result.message).toContain(`(${range})`);
  });

  const allowed: [name: string, url: string, policy: EgressPolicy][] = [
    ["public hostname over https", "https://hooks.example.com/in?x=1", httpsOnly],
    ["public hostname over http", "http://hooks.example.com/in", open],
    ["public IPv4 literal", "https://93.184.216.34/hook", open],
    ["public IPv6 literal", "https://[2606:4700::1]/hook", open],
    ["hostname that may resolve anywhere is checked at attempt time", "http://localhost:8080/", open],
    ["with allow 127.0.0.1/32: http://127.1:port/", "http://127.1:4567/hook", loopbackAllowed],
    ["with allow 127.0.0.1/32: http://2130706433/", "http://2130706433/", loopbackAllowed],
    ["credentials are accepted", "https://user:pass@hooks.example.com/in", open],
    ["upper-case scheme", "HTTPS://hooks.example.com/", httpsOnly],
  ];
  it.each(allowed)("accepts %s", (_name, url, policy) => {
    expect(checkEndpointUrl(url, policy)).toMatchObject({ ok: true, url: expect.any(URL) as unknown });
  });

  it("returns the normalised URL", () => {
    const result = checkEndpointUrl("http://0x7f.1:4567/a?b=c", loopbackAllowed);
    expect(result.ok && result.url.href).toBe("http://127.0.0.1:4567/a?b=c");
  });

  it.each([
    ["blocked", "http://user:s3cr3t-pass@127.0.0.1/"],
    ["invalid", "http://user:s3cr3t-pass@:80/"],
    ["bad scheme", "ftp://user:s3cr3t-pass@example.com/"],
  ])("never echoes credentials in a %s message", (_name, url) => {
    const result = checkEndpointUrl(url, open);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).not.toMatch(/s3cr3t|pass/);
  });
});

describe("redactUrl", () => {
  it.each([
    ["user and password", "https://user:pass@example.com/a?b=1", "https://***:***@example.com/a?b=1"],
    ["user only", "https://token@example.com/", "https://***@example.com/"],
    ["no credentials", "https://example.com/a", "https://example.com/a"],
    ["not a URL", "not a url", "<invalid URL>"],
    ["scheme-less credentials parse as an opaque URL", "user:pass@nowhere", "<non-http URL>"],
    ["non-http scheme", "ftp://user:pass@example.com/", "<non-http URL>"],
  ])("%s", (_name, url, expected) => {
    expect(redactUrl(url)).toBe(expected);
  });
});
