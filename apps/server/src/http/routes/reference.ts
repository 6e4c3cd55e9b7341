/**
 * The API reference page under `/reference/`: Swagger UI (from the swagger-ui-dist package, served
 * by this server, no CDN) rendering GET /openapi.json. Public like the document itself, left out of
 * it (not part of the API), and only the few files the page needs are served.
 */
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import { errorBody } from "../errors.js";

const require = createRequire(import.meta.url);

/** Files of swagger-ui-dist the page loads. */
const ASSETS: Readonly<Record<string, string>> = {
  "swagger-ui.css": "text/css; charset=utf-8",
  "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
  "favicon-32x32.png": "image/png",
};

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Hookline API reference</title>
<link rel="stylesheet" href="swagger-ui.css">
<link rel="icon" type="image/png" href="favicon-32x32.png">
</head>
<body>
<div id="reference"></div>
<script src="swagger-ui-bundle.js"></script>
<script src="reference.js"></script>
</body>
</html>
`;

/** The document is the server's own (relative URL): the page works behind a path prefix too. */
const INITIALIZER = `window.ui = SwaggerUIBundle({ url: "../openapi.json", dom_id: "#reference", deepLinking: true, validatorUrl: null });
`;

/** Swagger UI sets style attributes from script, hence 'unsafe-inline' for styles only. */
const CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

export function referenceRoutes(app: FastifyInstance): void {
  const options = { config: { public: true }, schema: { hide: true } };
  const directory = (require("swagger-ui-dist/absolute-path.js") as () => string)();
  const cache = new Map<string, Buffer>();

  app.get("/reference", options, async (_request, reply) => reply.redirect("/reference/", 301));
  app.get("/reference/*", options, async (request, reply) => {
    const file = (request.params as { "*"?: string })["*"] ?? "";
    reply
      .header("content-security-policy", CONTENT_SECURITY_POLICY)
      .header("x-content-type-options", "nosniff")
      .header("referrer-policy", "no-referrer");
    if (file === "" || file === "index.html") return reply.type("text/html; charset=utf-8").send(PAGE);
    if (file === "reference.js") return reply.type("text/javascript; charset=utf-8").send(INITIALIZER);
    const type = ASSETS[file];
    if (type === undefined) {
      return reply
        .code(404)
        .send(errorBody("not_found", `No file ${JSON.stringify(file.slice(0, 100))} in the API reference; open /reference/.`));
    }
    let body = cache.get(file);
    if (body === undefined) {
      body = await readFile(join(directory, file));
      cache.set(file, body);
    }
    return reply.type(type).header("cache-control", "public, max-age=3600").send(body);
  });
}
