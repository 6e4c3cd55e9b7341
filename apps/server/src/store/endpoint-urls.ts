/**
 * How an endpoint URL is stored (both backends): `url` holds the URL as shown, secrets masked
 * (domain/endpoint-url.ts), and `sealed_url` the full URL sealed by the SecretBox — only when the
 * URL has something to hide (NULL otherwise: `url` is then the real URL). With a master key the
 * credentials are therefore never written in clear; without one `sealed_url` is clear text, like the
 * signing secrets.
 */
import { endpointUrlParts } from "../domain/endpoint-url.js";
import { SecretBox } from "./secret-box.js";

export interface UrlColumns {
  readonly url: string;
  readonly sealedUrl: string | null;
}

export function urlColumns(url: string, box: SecretBox): UrlColumns {
  const parts = endpointUrlParts(url);
  return parts.hasSecrets ? { url: parts.display, sealedUrl: box.seal(url) } : { url, sealedUrl: null };
}

/** The URL attempts go to. Throws when the sealed URL cannot be opened (wrong or missing master key). */
export function realUrl(url: string, sealedUrl: string | null, box: SecretBox): string {
  return sealedUrl === null ? url : box.open(sealedUrl);
}

/**
 * What a stored row needs so that no credential stays in clear where it need not: rows written
 * before URLs were sealed (or by an older instance during an upgrade) get masked and sealed, and
 * clear `sealed_url` values get encrypted once a master key is configured. Undefined: nothing to do.
 */
export function protectedColumns(row: { url: string; sealed_url: string | null }, box: SecretBox): UrlColumns | undefined {
  if (row.sealed_url === null) {
    const columns = urlColumns(row.url, box);
    return columns.sealedUrl === null ? undefined : columns;
  }
  if (box.encrypts && !SecretBox.isSealed(row.sealed_url)) return { url: row.url, sealedUrl: box.seal(row.sealed_url) };
  return undefined;
}
