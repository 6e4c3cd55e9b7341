/**
 * The API's error shape, `{"error": {"code", "message", "details"?}}`: its two components (registered
 * with the others in schemas.ts `COMPONENTS`), what each error status means, and `errors(...)`, the
 * error answers a route lists. Every error answer refers to the one `Error` component.
 */

export const errorIssueComponent = {
  $id: "ErrorIssue",
  type: "object",
  description:
    "One problem of a request, usually with `path` and `message`. `in` names the part of the request (body, querystring, params, headers); " +
    "some codes add fields, e.g. `versions` (the versions that exist) on `unknown_version`, `offset` and `maxDepth` on `json_too_deep`.",
  additionalProperties: true,
  properties: {
    in: { type: "string", description: "body, querystring, params or headers." },
    path: { type: "string", description: "JSON pointer to the value at fault (empty: the whole part)." },
    message: { type: "string" },
  },
} as const;

export const errorComponent = {
  $id: "Error",
  type: "object",
  description: 'Every error answer: `{"error": {"code", "message", "details"?}}`.',
  required: ["error"],
  additionalProperties: false,
  properties: {
    error: {
      type: "object",
      required: ["code", "message"],
      additionalProperties: false,
      properties: {
        code: { type: "string", description: "Stable snake_case identifier to branch on, e.g. `invalid_request`, `not_found`." },
        message: { type: "string", description: "What happened and how to fix it." },
        details: {
          description:
            "Present when there is more to say: a list of the individual problems (`invalid_request`, `invalid_payload`, `unknown_version`…), " +
            "or an object of facts for the code (`unknown_event_type`: `knownTypes`, `catalogFingerprint`, `catalogLoadedAt`).",
          anyOf: [
            { type: "array", items: { $ref: "ErrorIssue#" } },
            { type: "object", additionalProperties: true },
          ],
        },
      },
    },
  },
} as const;

/** What each error status means, the description of its answer in /openapi.json. */
export const ERROR_DESCRIPTIONS: Readonly<Record<number, string>> = {
  400: "Invalid request (bad JSON, unknown fields, values out of range, bad cursor, invalid characters)",
  401: "Missing or wrong API key",
  403: "Not allowed for this credential",
  404: "Not found",
  409: "Conflict",
  413: "Body over the size limit",
  415: "Content-Type is not application/json",
  422: "Well-formed but refused (unknown event type, invalid payload, blocked URL, invalid secret)",
  503: "The database is unavailable: nothing was done; retry after `Retry-After` seconds",
};

/** Error answers of a route, by status, in the shared `Error` shape. */
export function errors(...statuses: number[]): Record<number, unknown> {
  return Object.fromEntries(statuses.map((s) => [s, { description: ERROR_DESCRIPTIONS[s] ?? "Error", $ref: "Error#" }]));
}
