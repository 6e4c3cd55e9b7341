/**
 * The parts of `node:http`'s `IncomingMessage` and `ServerResponse` that the Node and Express adapters
 * use, declared structurally: the package's declarations then compile without `@types/node`, so a
 * Workers or Deno project that only uses `toWebHandler` needs no Node types. Node's own objects (and
 * Express's, which extend them) satisfy these interfaces.
 */

/** A readable request: `http.IncomingMessage` or anything shaped like it. */
export interface NodeLikeRequest {
  readonly method?: string | undefined;
  readonly headers: Readonly<Record<string, string | readonly string[] | undefined>>;
  /** True once the body stream was read to its end (by a body parser, say). */
  readonly readableEnded: boolean;
  on(event: "data", listener: (chunk: Uint8Array) => void): unknown;
  on(event: "end" | "close", listener: () => void): unknown;
  on(event: "error", listener: (error: Error) => void): unknown;
  off(event: "data", listener: (chunk: Uint8Array) => void): unknown;
  off(event: "end" | "close", listener: () => void): unknown;
  off(event: "error", listener: (error: Error) => void): unknown;
  pause(): unknown;
  destroy(): unknown;
}

/** A writable response: `http.ServerResponse` (Express responses included) or anything shaped like it. */
export interface NodeLikeResponse {
  readonly headersSent: boolean;
  writeHead(statusCode: number, headers: Readonly<Record<string, string>>): unknown;
  end(body?: string): unknown;
}
