// Copies the static files (index.html, the stylesheet) beside the compiled modules: dist/ is the whole site.
import { cpSync } from "node:fs";

cpSync(new URL("../static/", import.meta.url), new URL("../dist/", import.meta.url), { recursive: true });
