import { STATUS_CODES, type IncomingMessage, type ServerResponse } from "node:http";
import type { Socket } from "node:net";
import type { FastifyBaseLogger, FastifyReply, FastifyRequest } from "fastify";
import { errorBody } from "./errors.js";

/**
 * Answers for requests that never reach a route: Node's HTTP parser rejected them (malformed,
 * oversized headers, too slow) or the router could not decode the path. They get the same error
 * shape as every other answer. Nothing of the request is logged but the error code: the parser's
 * error carries the raw bytes received (`rawPacket`), the Authorization header among them.
 */
export function clientErrorHandler(logger: FastifyBaseLogger) {
  return (error: Error & { code?: string }, socket: Socket): void => {
    if (error.code === "ECONNRESET" || socket.destroyed) return;
    const [status, code, message] = describeClientError(error.code);
    logger.debug({ code: error.code ?? "unknown", status }, "client error");
    if (socket.writable) {
      const body = JSON.stringify(errorBody(code, message));
      socket.write(
        `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ""}\r\nContent-Type: application/json; charset=utf-8\r\n` +
          `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      );
    }
    socket.destroy();
  };
}

function describeClientError(code: string | undefined): [number, string, string] {
  switch (code) {
    case "ERR_HTTP_REQUEST_TIMEOUT":
      return [
        408,
        "request_timeout",
        "The request (headers and body) was not received in time; the connection is closed. Send the whole request promptly.",
      ];
    case "HPE_HEADER_OVERFLOW":
      return [
        431,
        "headers_too_large",
        "The request headers are larger than the server accepts (16 KiB in all). Send fewer or shorter headers.",
      ];
    case "HPE_URI_TOO_LONG":
      return [414, "uri_too_long", "The request target is longer than the server accepts. Send a shorter URL."];
    default:
      return [400, "malformed_request", "The request is not valid HTTP/1.1 (bad request line, header or body framing)."];
  }
}

/**
 * An `Expect` header other than `100-continue`: Node answers 417 itself, with an empty body, unless
 * the server listens for `checkExpectation`. Same status, in the API's error shape.
 */
export function expectationFailed(_request: IncomingMessage, response: ServerResponse): void {
  const body = JSON.stringify(
    errorBody(
      "expectation_failed",
      'The Expect header asks for something this server does not do; only "100-continue" is supported. Remove the header.',
    ),
  );
  response.writeHead(417, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(body),
    connection: "close",
  });
  response.end(body);
}

/** Errors the router raises before any route runs. */
export function frameworkErrors(error: Error & { code?: string }, _request: FastifyRequest, reply: FastifyReply): void {
  if (error.code === "FST_ERR_MAX_PARAM_LENGTH") {
    void reply
      .code(414)
      .send(errorBody("uri_too_long", "A path segment is longer than 100 characters, so it is not a valid id. Check the id in the URL."));
    return;
  }
  void reply
    .code(400)
    .send(
      errorBody(
        "invalid_url",
        "The URL path has malformed percent-encoding (a % not followed by two hex digits). Encode the path correctly.",
      ),
    );
}
