/**
 * Endpoint URL checks, run when an endpoint is created or updated and again before every attempt.
 *
 * URL credentials (`https://user:pass@host/`) are accepted: attempts send them as HTTP Basic
 * authorization, as curl does. They are secrets, so no message built here or in the egress module
 * contains them (nor the path or query); use `redactUrl` before logging an endpoint URL.
 *
 * IP-literal hosts are classified here, after WHATWG normalisation has already turned every IPv4
 * spelling the parser accepts (2130706433, 0x7f000001, 0177.0.0.1, 127.1, 0x7f.1) into a dotted quad.
 * Hostnames are only checked at attempt time, against the addresses they resolve to then.
 */
import { isIP } from "node:net";
import { isAllowed, type EgressPolicy } from "./policy.js";

export type UrlCheck = { ok: true; url: URL } | { ok: false; code: "invalid_url" | "blocked_destination"; message: string };

export function checkEndpointUrl(url: string, policy: EgressPolicy): UrlCheck {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return invalid("the endpoint URL is not a valid absolute URL");
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    const allowed = policy.httpsOnly ? "https:" : "http: or https:";
    return invalid(`the endpoint URL scheme ${JSON.stringify(parsed.protocol)} is not allowed; use ${allowed}`);
  }
  if (policy.httpsOnly && parsed.protocol === "http:") {
    return invalid("the endpoint URL uses http: but only https: is allowed (HTTPS-only egress)");
  }
  const host = hostOf(parsed);
  if (host === "") return invalid("the endpoint URL has no host");
  if (isIP(host) !== 0) {
    const decision = isAllowed(host, policy);
    if (!decision.ok) return { ok: false, code: "blocked_destination", message: `destination refused: ${decision.reason}` };
  }
  return { ok: true, url: parsed };
}

/**
 * The URL with any username and password replaced by `***`, safe to log. Anything that is not an
 * http(s) URL is replaced whole ("user:pass@host" parses as an opaque URL with scheme "user:").
 */
export function redactUrl(url: string | URL): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return "<invalid URL>";
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") return "<non-http URL>";
  if (parsed.username !== "") parsed.username = "***";
  if (parsed.password !== "") parsed.password = "***";
  return parsed.href;
}

/** `host:port` for messages: never the credentials, path or query. */
export function describeOrigin(url: URL): string {
  const port = url.port !== "" ? url.port : url.protocol === "https:" ? "443" : "80";
  return `${url.hostname}:${port}`;
}

/** Hostname without IPv6 brackets. */
export function hostOf(url: URL): string {
  const { hostname } = url;
  return hostname.startsWith("[") && hostname.endsWith("]") ? hostname.slice(1, -1) : hostname;
}

function invalid(message: string): UrlCheck {
  return { ok: false, code: "invalid_url", message };
}
