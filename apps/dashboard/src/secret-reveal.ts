/**
 * A signing secret shown once (after adding an endpoint or rotating its secret): it is in the page only
 * until "Done" is pressed, never stored in the browser, never fetched again by the UI.
 */
import { h } from "./dom.js";

export function secretReveal(secret: string, done: () => void): HTMLElement {
  const value = h("code", { class: "secret", id: "secret-value" }, secret);
  const status = h("span", { role: "status" });
  const box: HTMLElement = h(
    "div",
    { class: "reveal", role: "region", "aria-label": "Signing secret" },
    h("h2", null, "Signing secret"),
    h("p", null, "Copy it now and store it with your receiver: it is shown only this once. Rotate it if it is ever lost."),
    value,
    h(
      "div",
      { class: "actions" },
      h(
        "button",
        {
          type: "button",
          onclick: async () => {
            try {
              await navigator.clipboard.writeText(secret);
              status.textContent = "Copied.";
            } catch {
              status.textContent = "Copying is not allowed here: select the text and copy it.";
            }
          },
        },
        "Copy",
      ),
      h(
        "button",
        {
          type: "button",
          onclick: () => {
            box.remove();
            done();
          },
        },
        "Done, I stored it",
      ),
      status,
    ),
  );
  return box;
}
