/**
 * Start-up: exchange a portal link's one-time code for a session (and remove the code from the
 * address bar at once), find out who is signed in (GET /v1/me), apply the branding, then render the
 * page the hash names, again on every hash change.
 */
import { ApiError, api, whenUnauthorized } from "./api.js";
import { type AppState, leavePage } from "./app.js";
import { h, replace } from "./dom.js";
import { catalogPage } from "./pages/catalog.js";
import { deadLettersPage } from "./pages/dead-letters.js";
import { endpointPage } from "./pages/endpoint.js";
import { endpointsPage } from "./pages/endpoints.js";
import { eventPage } from "./pages/event.js";
import { eventsPage } from "./pages/events.js";
import { newEndpointPage } from "./pages/new-endpoint.js";
import { signInPage } from "./pages/sign-in.js";
import { DEFAULT_BRAND, whoAmI } from "./me.js";
import { currentRoute, link } from "./router.js";
import { clearSession, sessionToken, setSessionToken } from "./session.js";
import type { Me } from "./types.js";
import { errorBox } from "./ui.js";

const portal = /\/portal\/?$/.test(location.pathname);
const main = document.getElementById("main") as HTMLElement;
let app: AppState | null = null;
let rendered = false;

async function exchangePortalCode(): Promise<string | null> {
  const fragment = new URLSearchParams(location.hash.replace(/^#/, ""));
  const code = fragment.get("code");
  if (code === null) return null;
  // The code leaves the address bar (and the history entry) before anything else happens.
  history.replaceState(null, "", `${location.pathname}${location.search}#/endpoints`);
  try {
    const session = await api<{ token: string }>("POST", "/v1/portal/session", { code }, null);
    setSessionToken(session.token);
    return null;
  } catch (error) {
    clearSession();
    return error instanceof ApiError && error.status < 500
      ? "This portal link has expired or was already used. Ask your provider for a new link."
      : error instanceof Error
        ? error.message
        : String(error);
  }
}

function applyBrand(me: Me | null): void {
  const brand = me?.portal ?? DEFAULT_BRAND;
  const title = portal ? brand.title : "Hookline";
  document.title = title;
  const name = document.getElementById("brand-name");
  if (name !== null) name.textContent = title;
  // CSSOM, not a style attribute: allowed by `style-src 'self'`. Only a #rrggbb colour is ever set.
  if (portal && /^#[0-9a-fA-F]{6}$/.test(brand.color)) document.documentElement.style.setProperty("--brand", brand.color);
}

function renderNav(): void {
  const nav = document.getElementById("nav") as HTMLElement;
  if (app === null) {
    replace(nav);
    return;
  }
  const { me } = app;
  const current = currentRoute().segments[0] ?? "endpoints";
  const item = (href: string, label: string, key: string) =>
    h("li", null, h("a", { href, ...(current === key ? { "aria-current": "page" } : {}) }, label));
  replace(
    nav,
    h(
      "ul",
      null,
      item(link("endpoints"), "Endpoints", "endpoints"),
      item(link("events"), "Events", "events"),
      item(link("dead-letters"), "Dead letters", "dead-letters"),
      item(link("catalog"), "Event types", "catalog"),
    ),
    h(
      "p",
      { class: "who" },
      me.tenant === null ? (me.kind === "admin" ? "Operator (API key)" : "All tenants") : `Tenant: ${me.tenant}`,
      me.access === "read" ? " · read only" : "",
    ),
    h(
      "button",
      {
        type: "button",
        class: "link",
        onclick: () => {
          clearSession();
          app = null;
          location.hash = "#/sign-in";
        },
      },
      "Sign out",
    ),
  );
}

async function pageFor(state: AppState): Promise<Node> {
  const route = currentRoute();
  const [section = "endpoints", id] = route.segments;
  switch (section) {
    case "endpoints":
      if (id === "new") return newEndpointPage(state);
      return id === undefined ? endpointsPage(route, state) : endpointPage(id, state);
    case "events":
      return id === undefined ? eventsPage(route, state) : eventPage(id, state);
    case "dead-letters":
      return deadLettersPage(route, state);
    case "catalog":
      return catalogPage(id, state);
    default:
      return errorBox(new Error(`There is no page "${section}".`), "Pick a page from the navigation.");
  }
}

async function render(): Promise<void> {
  leavePage();
  if (sessionToken() === null) app = null;
  if (app === null && sessionToken() !== null) {
    try {
      const me = await whoAmI();
      app = { me, portal };
    } catch (error) {
      replace(main, errorBox(error, "Sign in again; if the server is down, start it and reload."));
    }
  }
  applyBrand(app?.me ?? null);
  renderNav();
  if (app === null) {
    replace(main, signInPage(portal, pendingMessage, onSignedIn));
    pendingMessage = null;
    return;
  }
  main.setAttribute("aria-busy", "true");
  let page: Node;
  try {
    page = await pageFor(app);
  } catch (error) {
    page = errorBox(error);
  }
  replace(main, page);
  main.removeAttribute("aria-busy");
  // After a navigation, keyboard and screen-reader users land on the new page's heading (on the first
  // load, focus stays at the top of the document, where the skip link is).
  if (rendered) document.getElementById("page-title")?.focus({ preventScroll: true });
  rendered = true;
}

function onSignedIn(me: Me): void {
  app = { me, portal };
  if (currentRoute().segments[0] === "sign-in" || location.hash === "") location.hash = "#/endpoints";
  else void render();
}

let pendingMessage: string | null = null;

async function start(): Promise<void> {
  pendingMessage = await exchangePortalCode();
  whenUnauthorized(() => {
    // A refused credential on the sign-in form is that form's business; this is for a session that ended.
    if (app === null) return;
    app = null;
    pendingMessage = portal
      ? "Your portal session has ended. Open a new link from your provider."
      : "Your session has ended (the key or token is no longer valid). Sign in again.";
    setTimeout(() => void render(), 0);
  });
  window.addEventListener("hashchange", () => void render());
  await render();
}

void start();
