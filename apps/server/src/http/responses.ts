/**
 * Every route documents every error answer it can give, in the shared `Error` shape, without each
 * route listing the ones that come from the server rather than from it: 401 (API key) and 503
 * (database unavailable) on every authenticated route, 400 on routes that take parameters or a
 * body (schema violations, invalid characters), 413 and 415 on routes that take a body.
 * Success answers without a description get the status's meaning. Applied to each route as it is
 * registered (server.ts), so new routes get them too.
 */
import type { RouteOptions } from "fastify";
import { errors } from "./schemas.js";

interface RouteSchema {
  hide?: boolean;
  params?: unknown;
  querystring?: unknown;
  headers?: unknown;
  body?: unknown;
  response?: Record<string, unknown>;
}

const SUCCESS: Readonly<Record<string, string>> = { "200": "OK", "201": "Created", "202": "Accepted", "204": "No content" };

export function completeErrorAnswers(route: RouteOptions): void {
  const schema = route.schema as RouteSchema | undefined;
  if (schema?.response === undefined || schema.hide === true) return;
  const response: Record<string, unknown> = { ...schema.response };
  for (const [status, answer] of Object.entries(response)) {
    const text = SUCCESS[status];
    if (text !== undefined && typeof answer === "object" && answer !== null && !("description" in answer)) {
      response[status] = { description: text, ...answer };
    }
  }
  const statuses: number[] = [];
  if (route.config?.public !== true) statuses.push(401, 503);
  if (schema.params !== undefined || schema.querystring !== undefined || schema.headers !== undefined || schema.body !== undefined) {
    statuses.push(400);
  }
  if (schema.body !== undefined) statuses.push(413, 415);
  const missing = statuses.filter((status) => response[String(status)] === undefined);
  route.schema = { ...schema, response: { ...response, ...errors(...missing) } } as NonNullable<RouteOptions["schema"]>;
}
