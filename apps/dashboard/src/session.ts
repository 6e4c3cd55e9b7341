/**
 * The session credential (the admin API key, a stored `hlt_` token, or the tenant token a portal link
 * was exchanged for) lives in sessionStorage only: gone when the tab closes, never in a cookie (so
 * there is nothing a cross-site request could ride on: no CSRF), never in a URL.
 */
const KEY = "hookline.session";

export function sessionToken(): string | null {
  try {
    return sessionStorage.getItem(KEY);
  } catch {
    return null;
  }
}

export function setSessionToken(token: string): void {
  sessionStorage.setItem(KEY, token);
}

export function clearSession(): void {
  sessionStorage.removeItem(KEY);
}
