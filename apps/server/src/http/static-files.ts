/**
 * Static sites the server serves (the catalog docs under /docs/, the dashboard under /ui/): files are
 * looked up by path segments checked one by one (no `..`, `.`, NUL, backslash or hidden names after
 * percent-decoding) and must resolve, symlinks followed, inside the site folder.
 */
import { createHash } from "node:crypto";
import { readFile, realpath, stat } from "node:fs/promises";
import { extname, join, sep } from "node:path";
import type { FastifyReply } from "fastify";

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".txt": "text/plain; charset=utf-8",
};

/** The file a `<prefix>/<wildcard>` request names, or undefined when there is none (or it would leave the site). */
export async function resolveFile(root: string, wildcard: string): Promise<string | undefined> {
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

/**
 * Sends a file with its content type, the page's security headers and a revalidating cache (file names
 * carry no content hash: caches may keep a copy, but revalidate it, cheap with the ETag); 304 on a match.
 */
export async function sendFile(reply: FastifyReply, file: string, ifNoneMatch: string | undefined, csp: string): Promise<FastifyReply> {
  const body = await readFile(file);
  const etag = `"${createHash("sha256").update(body).digest("base64url").slice(0, 27)}"`;
  reply
    .header("content-security-policy", csp)
    .header("x-content-type-options", "nosniff")
    .header("referrer-policy", "no-referrer")
    .header("cache-control", "public, max-age=0, must-revalidate")
    .header("etag", etag);
  if (ifNoneMatch === etag) return reply.code(304).send();
  return reply.type(CONTENT_TYPES[extname(file)] ?? "application/octet-stream").send(body);
}
