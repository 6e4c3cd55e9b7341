/**
 * The site's static assets: the stylesheet, the search script and the icon. Both are files of their own
 * (no inline style or script anywhere), so the pages work under a strict Content-Security-Policy.
 * Neither loads anything from the network: system fonts, no CDN.
 */

/** A plain mark, so that browsers find an icon instead of asking for a missing /favicon.ico. */
export const FAVICON = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="7" fill="#4b45c6"/><path d="M11 7v12a6 6 0 0 0 12 0v-3" fill="none" stroke="#fff" stroke-width="3.5" stroke-linecap="round"/><path d="M19 16h4v4" fill="none" stroke="#fff" stroke-width="3.5" stroke-linecap="round" stroke-linejoin="round"/></svg>
`;

export const STYLESHEET = `:root {
  color-scheme: light dark;
  --bg: #ffffff; --fg: #1a1f36; --muted: #5b6478; --line: #e3e8ee; --accent: #4b45c6; --code-bg: #f6f8fa;
  --warn-bg: #fff4e5; --warn-fg: #7a4100; --ok: #1b7f3b; --bad: #b42318;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
}
@media (prefers-color-scheme: dark) {
  :root { --bg: #10131a; --fg: #e6e9ef; --muted: #a3acbd; --line: #2a303c; --accent: #a5a1ff; --code-bg: #1a1f2a;
    --warn-bg: #3a2a10; --warn-fg: #ffd8a8; --ok: #6fd68f; --bad: #ff8a80; }
}
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg); line-height: 1.55; font-size: 16px; }
a { color: var(--accent); }
a:focus-visible, input:focus-visible, button:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
code, pre { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 0.9em; }
code { background: var(--code-bg); padding: 0.05em 0.3em; border-radius: 4px; overflow-wrap: anywhere; }
pre.code { background: var(--code-bg); padding: 1em; border-radius: 8px; overflow-x: auto; border: 1px solid var(--line); }
pre.code code { background: none; padding: 0; }
.skip { position: absolute; left: -999px; }
.skip:focus { left: 1em; top: 1em; background: var(--bg); padding: 0.5em; z-index: 10; }
header.site { border-bottom: 1px solid var(--line); padding: 0.75em 1.5em; display: flex; flex-wrap: wrap; gap: 0.75em 1.5em; align-items: center; }
header.site .brand { font-weight: 700; text-decoration: none; color: var(--fg); }
.search { position: relative; flex: 1 1 16em; max-width: 32em; }
.search input { width: 100%; padding: 0.5em 0.75em; font: inherit; border: 1px solid var(--line); border-radius: 6px; background: var(--bg); color: var(--fg); }
.search ol { list-style: none; margin: 0.25em 0 0; padding: 0; position: absolute; left: 0; right: 0; background: var(--bg); border: 1px solid var(--line); border-radius: 6px; z-index: 5; max-height: 70vh; overflow-y: auto; }
.search ol:empty { display: none; }
.search li a { display: block; padding: 0.5em 0.75em; text-decoration: none; color: var(--fg); }
.search li a:hover, .search li a:focus { background: var(--code-bg); }
.search li small { display: block; color: var(--muted); }
main { max-width: 72em; margin: 0 auto; padding: 1.5em; }
h1 { font-size: 1.9em; margin: 0.2em 0; overflow-wrap: anywhere; }
h2 { margin-top: 2em; border-bottom: 1px solid var(--line); padding-bottom: 0.3em; }
h3 { margin-top: 1.6em; }
.muted, .meta { color: var(--muted); }
.meta { display: flex; flex-wrap: wrap; gap: 0.5em 1em; margin: 0; padding: 0; list-style: none; }
.badge { display: inline-block; font-size: 0.75em; font-weight: 600; padding: 0.1em 0.5em; border-radius: 999px; border: 1px solid var(--line); margin-right: 0.3em; white-space: nowrap; }
.badge-required { color: var(--bad); }
.badge-optional { color: var(--muted); }
.badge-deprecated, .badge-breaking { background: var(--warn-bg); color: var(--warn-fg); }
.badge-compatible { color: var(--ok); }
.badge-latest { color: var(--ok); }
.deprecation { background: var(--warn-bg); color: var(--warn-fg); border-radius: 8px; padding: 0.75em 1em; margin: 1em 0; }
.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; margin: 0.5em 0 1em; }
caption { text-align: left; color: var(--muted); font-size: 0.9em; padding-bottom: 0.3em; }
th, td { text-align: left; vertical-align: top; border-bottom: 1px solid var(--line); padding: 0.55em 0.6em; }
thead th { font-size: 0.85em; color: var(--muted); }
tbody th { font-weight: normal; }
td.type { white-space: nowrap; }
code.prop-name { overflow-wrap: normal; word-break: keep-all; }
ul.constraints { margin: 0.3em 0 0; padding-left: 1.1em; color: var(--muted); font-size: 0.9em; }
tr.depth-1 th { padding-left: 1.6em; } tr.depth-2 th { padding-left: 2.6em; } tr.depth-3 th { padding-left: 3.6em; }
tr.depth-4 th, tr.depth-5 th, tr.depth-6 th { padding-left: 4.6em; }
nav.versions ul, ul.plain { list-style: none; padding: 0; }
nav.versions li { display: inline-block; margin-right: 0.75em; }
.domains { display: grid; grid-template-columns: repeat(auto-fill, minmax(18em, 1fr)); gap: 1em 2em; }
.domains ul { padding-left: 0; list-style: none; }
.domains li { margin: 0.6em 0; }
.domains li p, .definitions li p { margin: 0.1em 0 0; color: var(--muted); font-size: 0.9em; }
.definitions { columns: 18em; column-gap: 2em; list-style: none; padding: 0; }
.definitions li { break-inside: avoid; margin: 0 0 0.8em; }
footer { color: var(--muted); font-size: 0.85em; border-top: 1px solid var(--line); padding: 1em 1.5em; }
@media (max-width: 40em) {
  main { padding: 1em; }
  h1 { font-size: 1.5em; }
  table.props thead { display: none; }
  table.props tr { display: block; border-bottom: 1px solid var(--line); padding: 0.4em 0; }
  table.props th, table.props td { display: block; border: 0; padding: 0.15em 0.4em; }
  table.props tr[class^="depth-"] th { padding-left: 0.4em; }
  td.type { white-space: normal; }
  table.props td.type, table.props td:nth-child(3) { display: inline-block; }
}
`;

/**
 * Client-side search over `search-index.json` (written at build time next to index.html). Every word
 * of the query must occur in an entry's name, title, domain, description or property names; names
 * that start with the query rank first. "/" focuses the box, arrow keys move through the results.
 */
export const SEARCH_SCRIPT = `"use strict";
(function () {
  var script = document.currentScript;
  var input = document.getElementById("search-input");
  var list = document.getElementById("search-results");
  var status = document.getElementById("search-status");
  if (!script || !input || !list || !status) return;
  var root = new URL(".", new URL(script.getAttribute("data-root") || "./", document.baseURI));
  var entries = null;
  function load() {
    if (entries) return Promise.resolve(entries);
    return fetch(new URL("search-index.json", root)).then(function (r) {
      if (!r.ok) throw new Error("search index: HTTP " + r.status);
      return r.json();
    }).then(function (data) { entries = data.entries; return entries; });
  }
  function score(entry, words, query) {
    var name = entry.name.toLowerCase();
    var hay = entry.text;
    for (var i = 0; i < words.length; i++) if (hay.indexOf(words[i]) < 0) return -1;
    if (name === query) return 3;
    if (name.indexOf(query) === 0) return 2;
    if (name.indexOf(query) >= 0) return 1;
    return 0;
  }
  function render(query) {
    list.textContent = "";
    var q = query.trim().toLowerCase();
    if (q === "") { status.textContent = ""; return; }
    var words = q.split(/\\s+/);
    load().then(function (all) {
      if (input.value.trim().toLowerCase() !== q) return;
      var hits = all.map(function (e) { return { e: e, s: score(e, words, q) }; })
        .filter(function (h) { return h.s >= 0; })
        .sort(function (a, b) { return b.s - a.s || (a.e.name < b.e.name ? -1 : 1); })
        .slice(0, 20);
      list.textContent = "";
      hits.forEach(function (h) {
        var li = document.createElement("li");
        var a = document.createElement("a");
        a.href = new URL(h.e.url, root).href;
        a.textContent = h.e.name;
        var small = document.createElement("small");
        small.textContent = h.e.kind + (h.e.deprecated ? " (deprecated)" : "") + " — " + h.e.summary;
        a.appendChild(small);
        li.appendChild(a);
        list.appendChild(li);
      });
      status.textContent = hits.length === 0 ? "No results for " + query.trim() : hits.length + " result" + (hits.length === 1 ? "" : "s");
    }).catch(function (error) { status.textContent = "Search is unavailable: " + error.message; });
  }
  input.addEventListener("input", function () { render(input.value); });
  input.addEventListener("keydown", function (event) {
    if (event.key === "ArrowDown" && list.firstElementChild) { event.preventDefault(); list.firstElementChild.firstElementChild.focus(); }
    if (event.key === "Escape") { input.value = ""; render(""); }
  });
  list.addEventListener("keydown", function (event) {
    var item = event.target.parentElement;
    if (event.key === "ArrowDown" && item.nextElementSibling) { event.preventDefault(); item.nextElementSibling.firstElementChild.focus(); }
    if (event.key === "ArrowUp") { event.preventDefault(); if (item.previousElementSibling) item.previousElementSibling.firstElementChild.focus(); else input.focus(); }
    if (event.key === "Escape") { input.focus(); }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "/" && document.activeElement !== input) { event.preventDefault(); input.focus(); }
  });
})();
`;
