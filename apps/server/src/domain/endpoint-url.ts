/**
 * Which parts of an endpoint URL are secrets, and how they are shown.
 *
 * Receivers often authenticate the sender with the URL itself: credentials in the user info
 * (`https://user:pass@host/`, sent as HTTP Basic) or a token in the query (`?token=…`, `?sig=…`,
 * `?code=…`, `?X-Amz-Signature=…`). A list of "secret-looking" parameter names always misses one,
 * so every query value counts as secret; names stay visible so the URL can still be recognised.
 * The rules:
 * - the user name and the password (a user name is often the token itself: `https://TOKEN:x-oauth-basic@…`);
 * - every non-empty query value (a bare `?abc` part counts as a value);
 * - the fragment (never sent, but stored as typed).
 * Scheme, host, port and path are shown as they are: a secret in the path (a Slack-style incoming
 * webhook) is not recognised.
 */
export const MASK = "****";

export interface UrlParts {
  /** The URL to show: every secret part replaced by `****`; the input unchanged when it has none. */
  readonly display: string;
  /** Whether any part was masked (the full URL must then be kept sealed). */
  readonly hasSecrets: boolean;
  /** Whether a part that would be masked already reads `****`: a masked URL sent back as a real one. */
  readonly containsMask: boolean;
}

export function endpointUrlParts(url: string): UrlParts {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    // Endpoint URLs are validated before they are stored; never echo something unparseable.
    return { display: "(invalid url)", hasSecrets: true, containsMask: false };
  }
  let secrets = false;
  let masked = false;
  const hide = (value: string): string => {
    if (value === "") return value;
    secrets = true;
    if (value === MASK) masked = true;
    return MASK;
  };

  let userinfo = "";
  if (u.password !== "") userinfo = `${hide(u.username)}:${hide(u.password)}@`;
  else if (u.username !== "") userinfo = `${hide(u.username)}@`;

  let search = "";
  if (u.search !== "") {
    // Split the raw (still percent-encoded) query, so names keep their exact spelling.
    const parts = u.search
      .slice(1)
      .split("&")
      .map((part) => {
        const eq = part.indexOf("=");
        return eq === -1 ? hide(part) : `${part.slice(0, eq + 1)}${hide(part.slice(eq + 1))}`;
      });
    search = `?${parts.join("&")}`;
  }
  const hash = u.hash === "" ? "" : `#${hide(u.hash.slice(1))}`;

  if (!secrets) return { display: url, hasSecrets: false, containsMask: false };
  return { display: `${u.protocol}//${userinfo}${u.host}${u.pathname}${search}${hash}`, hasSecrets: true, containsMask: masked };
}

/** The URL as the API shows it (idempotent: a masked URL stays as it is). */
export function maskEndpointUrl(url: string): string {
  return endpointUrlParts(url).display;
}
