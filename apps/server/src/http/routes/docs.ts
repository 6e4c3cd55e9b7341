/**
 * The catalog docs site (`hookline docs`, built by `npm run docs-site`) under `/docs/`: public and
 * read-only, since it is what the receivers of the webhooks read (the same event types, schemas and
 * examples the SDKs ship). Files are looked up by path segments that are checked one by one (no `..`,
 * `.`, NUL, backslash or hidden names after percent-decoding) and must resolve, symlinks followed,
 * inside the site folder. The routes are left out of /openapi.json: they are not part of the API.
 */
import { createHash } from "node:crypto";
import { readFile, realpath, stat } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, extname, join, sep } from "node:path";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { HttpContext } from "../context.js";
import { errorBody } from "../errors.js";

declare module "fastify" {
  interface FastifySchema {
    /** Left out of /openapi.json (the same option as @fastify/swagger's). */
    hide?: boolean;
  }
}

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".txt": "text/plain; charset=utf-8",
};

/** The policy the pages also carry in a <meta> tag: their own script, stylesheet and search index only. */
const CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** The site `npm run docs-site` builds from the repository catalog, when this server runs from the repository. */
export function defaultDocsDirectory(): string | undefined {
  try {
    return join(dirname(createRequire(import.meta.url).resolve("@hookline/catalog/package.json")), "dist", "docs");
  } catch {
    return undefined;
  }
}

export function docsRoutes(app: FastifyInstance, ctx: HttpContext): void {
  const configured = ctx.config.docsDir ?? defaultDocsDirectory();
  // `hide` keeps them out of the API description (and @fastify/swagger honours it too).
  const options = { config: { public: true }, schema: { hide: true } };

  app.get("/docs", options, async (_request, reply) => reply.redirect("/docs/", 301));
  app.get("/docs/*", options, async (request, reply) => {
    const wildcard = (request.params as { "*"?: string })["*"] ?? "";
    const file = configured === undefined ? undefined : await resolveFile(configured, wildcard);
    if (file === undefined) return notFound(request, reply, configured);
    const body = await readFile(file);
    const etag = `"${createHash("sha256").update(body).digest("base64url").slice(0, 27)}"`;
    reply
      .header("content-security-policy", CONTENT_SECURITY_POLICY)
      .header("x-content-type-options", "nosniff")
      .header("referrer-policy", "no-referrer")
      // File names carry no content hash: caches may keep a copy, but revalidate it (cheap with the ETag).
      .header("cache-control", "public, max-age=0, must-revalidate")
      .header("etag", etag);
    if (request.headers["if-none-match"] === etag) return reply.code(304).send();
    return reply.type(CONTENT_TYPES[extname(file)] ?? "application/octet-stream").send(body);
  });
}

/** The file a `/docs/<wildcard>` request names, or undefined when there is none (or it would leave the site). */
async function resolveFile(root: string, wildcard: string): Promise<string | undefined> {
  const segments = wildcard.split("/");
  // A trailing slash (or the bare prefix) means the folder's index.html.
  if (segments[segments.length - 1] === "") segments[segments.length - 1] = "index.html";
  for (const segment of segments) {
    if (segment === "" || segment.startsWith(".") || /[\\\0:]/.test(segment)) return undefined;
  }
  let realRoot: string;
  try {
    realRoot = await realpath(root);
  } catch {
    return undefined;
  }
  let candidate = join(realRoot, ...segments);
  try {
    candidate = await realpath(candidate);
    if (!candidate.startsWith(realRoot + sep)) return undefined;
    const info = await stat(candidate);
    if (info.isDirectory()) return resolveFile(root, `${wildcard}/`);
    return info.isFile() ? candidate : undefined;
  } catch {
    return undefined;
  }
}

function notFound(request: FastifyRequest, reply: FastifyReply, root: string | undefined): FastifyReply {
  const where = (request.url.split("?")[0] ?? "").slice(0, 200);
  const message =
    root === undefined
      ? "The catalog docs site is not configured: build it with `hookline docs --out <dir>` and set HOOKLINE_DOCS_DIR to that folder."
      : `No docs page at ${where}. The site's index is GET /docs/; if it is missing, build the site (npm run docs-site, or hookline docs --out ${root}).`;
  return reply.code(404).send(errorBody(root === undefined ? "docs_not_configured" : "not_found", message));
}
