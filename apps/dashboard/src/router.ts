/**
 * Hash routes (`#/events?type=order.created`, `#/events/<id>`): the page never reloads, the server
 * serves one index.html, and filters live in the URL so a view can be bookmarked and shared
 * (never the credential: that stays in sessionStorage).
 */
export interface Route {
  /** Path segments after `#/`, decoded: `#/events/evt_1` → ["events", "evt_1"]. */
  segments: string[];
  query: URLSearchParams;
}

export function currentRoute(): Route {
  const hash = location.hash.replace(/^#\/?/, "");
  const [path = "", search = ""] = hash.split("?", 2);
  const segments = path
    .split("/")
    .filter((s) => s !== "")
    .map((s) => {
      try {
        return decodeURIComponent(s);
      } catch {
        return s;
      }
    });
  return { segments, query: new URLSearchParams(search) };
}

/** `link("events", evt.id)` → `#/events/evt_1`; `link("events", { type: "a" })` → `#/events?type=a`. */
export function link(...parts: (string | Record<string, string | undefined>)[]): string {
  const segments: string[] = [];
  const params = new URLSearchParams();
  for (const part of parts) {
    if (typeof part === "string") segments.push(encodeURIComponent(part));
    else for (const [k, v] of Object.entries(part)) if (v !== undefined && v !== "") params.set(k, v);
  }
  const search = params.toString();
  return `#/${segments.join("/")}${search === "" ? "" : `?${search}`}`;
}

export function navigate(href: string): void {
  if (location.hash === href) window.dispatchEvent(new HashChangeEvent("hashchange"));
  else location.hash = href;
}
