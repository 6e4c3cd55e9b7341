/** Small shared widgets: tables, badges, buttons, notices, empty and error states. All text, never markup. */
import { ApiError } from "./api.js";
import { type Child, h } from "./dom.js";
import { formatTime } from "./format.js";

export function heading(title: string, ...actions: Child[]): HTMLElement {
  return h("div", { class: "page-head" }, h("h1", { tabindex: "-1", id: "page-title" }, title), h("div", { class: "actions" }, actions));
}

export function table(caption: string, columns: string[], rows: Child[][]): HTMLElement {
  return h(
    "div",
    { class: "table-wrap" },
    h(
      "table",
      null,
      h("caption", { class: "visually-hidden" }, caption),
      h(
        "thead",
        null,
        h(
          "tr",
          null,
          columns.map((c) => h("th", { scope: "col" }, c)),
        ),
      ),
      h(
        "tbody",
        null,
        rows.map((cells) =>
          h(
            "tr",
            null,
            cells.map((c, i) => h("td", { "data-label": columns[i] ?? "" }, c)),
          ),
        ),
      ),
    ),
  );
}

export function badge(status: string): HTMLElement {
  return h("span", { class: `badge badge-${status.replace(/[^a-z_]/g, "")}` }, status);
}

export function time(value: string | null | undefined): HTMLElement {
  return value === null || value === undefined ? h("span", null, "—") : h("time", { datetime: value, title: value }, formatTime(value));
}

export function button(label: string, onclick: (event: Event) => void, props: Record<string, string | boolean> = {}): HTMLButtonElement {
  return h("button", { type: "button", ...props, onclick }, label);
}

/** What to do when there is nothing to show. */
export function empty(message: string, ...next: Child[]): HTMLElement {
  return h("div", { class: "empty", role: "status" }, h("p", null, message), next);
}

/** An error with what happened and what to do next. */
export function errorBox(error: unknown, hint?: string): HTMLElement {
  const message = error instanceof Error ? error.message : String(error);
  const fallback =
    error instanceof ApiError && error.status === 404
      ? "It may have been deleted, or it belongs to another tenant. Go back to the list and pick it again."
      : error instanceof ApiError && error.status === 403
        ? "Your session only allows reading. Ask the operator for a link or token with write access."
        : "Try again; if it keeps failing, check the server's logs.";
  return h(
    "div",
    { class: "error", role: "alert" },
    h("p", null, h("strong", null, "Something went wrong: "), message),
    h("p", null, hint ?? fallback),
  );
}

/** A short confirmation or failure shown at the top of the page, announced to screen readers. */
export function notify(message: string, kind: "ok" | "error" = "ok"): void {
  const region = document.getElementById("notices");
  if (region === null) return;
  const note = h("p", { class: `notice notice-${kind}` }, message);
  region.replaceChildren(note);
  setTimeout(() => note.remove(), 8000);
}

export function field(label: string, control: HTMLElement, help?: string): HTMLElement {
  const id = control.id !== "" ? control.id : `f-${Math.random().toString(36).slice(2, 9)}`;
  control.id = id;
  const helpId = `${id}-help`;
  if (help !== undefined) control.setAttribute("aria-describedby", helpId);
  return h(
    "div",
    { class: "field" },
    h("label", { for: id }, label),
    control,
    help === undefined ? null : h("small", { id: helpId }, help),
  );
}

export function pre(text: string, label: string): HTMLElement {
  return h("pre", { class: "code", tabindex: "0", "aria-label": label }, text);
}

/** Runs an action from a button: disables it meanwhile, reports failures, returns whether it worked. */
export async function act(control: HTMLButtonElement | null, work: () => Promise<void>): Promise<boolean> {
  if (control !== null) control.disabled = true;
  try {
    await work();
    return true;
  } catch (error) {
    notify(error instanceof Error ? error.message : String(error), "error");
    return false;
  } finally {
    if (control !== null) control.disabled = false;
  }
}
