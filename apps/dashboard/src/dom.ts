/**
 * The only way this UI puts anything on the page: elements made with createElement, text set with
 * textContent / createTextNode, attributes with setAttribute from a fixed list. There is no innerHTML,
 * insertAdjacentHTML or document.write anywhere, so payloads, response bodies, descriptions and tenant
 * names (all written by parties we do not trust) can only ever become text: escaping holds by construction.
 */

export type Child = Node | string | number | null | undefined | false | readonly Child[];

/** Attributes that can run code or navigate are refused (a link's href goes through `safeHref`). */
const FORBIDDEN_ATTRIBUTE = /^(on|style$|srcdoc$|formaction$)/i;

export interface Props {
  [name: string]: string | number | boolean | null | undefined | ((event: Event) => void);
}

/** `h("a", { href: "#/events", class: "x", onclick: fn }, "text", child)`; `on<event>` functions become listeners. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Props | null = null,
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (props !== null) {
    for (const [name, value] of Object.entries(props)) {
      if (value === undefined || value === null || value === false) continue;
      if (typeof value === "function") {
        if (!name.startsWith("on")) throw new Error(`h(): ${name} is a function but not an on<event> listener`);
        el.addEventListener(name.slice(2).toLowerCase(), value);
        continue;
      }
      if (FORBIDDEN_ATTRIBUTE.test(name)) throw new Error(`h(): the attribute ${name} is not allowed (strict CSP, no inline code)`);
      if (name === "href") el.setAttribute("href", safeHref(String(value)));
      else el.setAttribute(name, value === true ? "" : String(value));
    }
  }
  append(el, children);
  return el;
}

export function append(parent: Node, children: readonly Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(parent, child);
    else if (child instanceof Node) parent.appendChild(child);
    else parent.appendChild(document.createTextNode(String(child)));
  }
}

/** Replaces every child of `parent`. */
export function replace(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, children);
}

/** Only in-app hash links and http(s) URLs are ever linked; anything else (javascript:, data:) becomes an inert "#". */
export function safeHref(href: string): string {
  if (href.startsWith("#/")) return href;
  try {
    const url = new URL(href, location.href);
    return url.protocol === "http:" || url.protocol === "https:" ? url.href : "#";
  } catch {
    return "#";
  }
}
