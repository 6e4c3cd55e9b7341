/**
 * Sign in with the admin API key or a stored token (`hlt_…`). The credential is checked with GET /v1/me
 * before it is kept (in sessionStorage only). A portal visitor has no form: their session comes from a link.
 */
import { ApiError } from "../api.js";
import { h } from "../dom.js";
import { whoAmI } from "../me.js";
import { setSessionToken, clearSession } from "../session.js";
import type { Me } from "../types.js";

export function signInPage(portal: boolean, message: string | null, done: (me: Me) => void): HTMLElement {
  if (portal) {
    return h(
      "section",
      { class: "sign-in" },
      h("h1", { tabindex: "-1", id: "page-title" }, "Webhook portal"),
      h(
        "p",
        { role: "alert" },
        message ?? "Open this portal through the link your provider gave you; links work once and expire after a few minutes.",
      ),
    );
  }
  const input = h("input", {
    type: "password",
    id: "credential",
    name: "credential",
    autocomplete: "off",
    required: true,
    spellcheck: "false",
  });
  const status = h("p", { role: "alert", class: message === null ? "" : "error" }, message ?? "");
  const form = h(
    "form",
    {
      class: "sign-in",
      onsubmit: async (event: Event) => {
        event.preventDefault();
        const value = input.value.trim();
        if (value === "") return;
        status.textContent = "Checking…";
        status.className = "";
        setSessionToken(value);
        input.value = "";
        try {
          done(await whoAmI());
        } catch (error) {
          clearSession();
          status.className = "error";
          status.textContent =
            error instanceof ApiError && error.status === 401
              ? "The server did not accept this key or token. Paste the admin API key (HOOKLINE_API_KEY) or a token from POST /v1/tokens."
              : error instanceof Error
                ? error.message
                : String(error);
          input.focus();
        }
      },
    },
    h("h1", { tabindex: "-1", id: "page-title" }, "Sign in"),
    h("p", null, "Use the server's admin API key, or a token (read or write) an operator created."),
    h("label", { for: "credential" }, "API key or token"),
    input,
    h("button", { type: "submit" }, "Sign in"),
    status,
  );
  return form;
}
