// Copies the static files (index.html, the stylesheet) beside the compiled modules, so dist/ is the whole
// site, and lists every module in index.html as a modulepreload: the browser fetches them all at once
// instead of discovering the import graph one level at a time (no bundler, still one round trip).
import { cpSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const dist = fileURLToPath(new URL("../dist/", import.meta.url));
cpSync(new URL("../static/", import.meta.url), dist, { recursive: true });
const modules = readdirSync(dist, { recursive: true })
  .map(String)
  .filter((file) => file.endsWith(".js") && file !== "main.js")
  .sort();
const preload = modules.map((file) => `    <link rel="modulepreload" href="/ui/${file.split("\\").join("/")}">`).join("\n");
const index = `${dist}index.html`;
const html = readFileSync(index, "utf8");
const marker = '    <script type="module" src="/ui/main.js"></script>';
if (!html.includes(marker)) throw new Error(`static/index.html must load the app with: ${marker.trim()}`);
writeFileSync(index, html.replace(marker, `${marker}\n${preload}`));
