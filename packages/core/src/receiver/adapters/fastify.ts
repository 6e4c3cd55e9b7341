import type { HttpReceiver } from "../types.js";

/** The Fastify request fields the route reads (structural: no fastify import). */
export interface FastifyLikeRequest {
  readonly body: unknown;
  readonly headers: Readonly<Record<string, string | readonly string[] | undefined>>;
}

/** The Fastify reply methods the route calls. */
export interface FastifyLikeReply {
  code(statusCode: number): FastifyLikeReply;
  headers(values: Readonly<Record<string, string>>): FastifyLikeReply;
  send(payload: string): FastifyLikeReply;
}

/** The Fastify instance methods the plugin calls. */
export interface FastifyLikeInstance {
  removeAllContentTypeParsers(): void;
  addContentTypeParser(
    contentType: string,
    options: { parseAs: "buffer"; bodyLimit: number },
    parser: (request: unknown, body: Uint8Array, done: (error: Error | null, body?: Uint8Array) => void) => void,
  ): void;
  post(path: string, handler: (request: FastifyLikeRequest, reply: FastifyLikeReply) => Promise<FastifyLikeReply>): void;
}

export interface FastifyWebhookPluginOptions {
  /** Route path inside the plugin's prefix. Default `/`. */
  readonly path?: string;
}

/**
 * A Fastify plugin with one POST route: `app.register(fastifyWebhookPlugin(receiver), { prefix:
 * "/webhooks" })`. Inside its own encapsulated context it replaces every body parser with one that
 * keeps the raw bytes (limited to `receiver.maxBodyBytes`, 413 beyond), so the app's JSON parser,
 * custom or default, is untouched and does not see webhook bodies.
 */
export function fastifyWebhookPlugin(
  receiver: HttpReceiver,
  options: FastifyWebhookPluginOptions = {},
): (instance: FastifyLikeInstance) => Promise<void> {
  const path = options.path ?? "/";
  return async (instance) => {
    // Needed even for the default parser: adding "application/json" over an app's own parser throws.
    instance.removeAllContentTypeParsers();
    const keepBytes = { parseAs: "buffer", bodyLimit: receiver.maxBodyBytes } as const;
    const identity = (_request: unknown, body: Uint8Array, done: (error: Error | null, body?: Uint8Array) => void) => done(null, body);
    instance.addContentTypeParser("application/json", keepBytes, identity);
    instance.addContentTypeParser("*", keepBytes, identity);
    instance.post(path, async (request, reply) => {
      const body = request.body instanceof Uint8Array ? request.body : "";
      const result = await receiver.handle(body, request.headers);
      return reply.code(result.status).headers(result.headers).send(result.body);
    });
  };
}
