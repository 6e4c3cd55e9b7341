/**
 * The event schemas as one set of named schemas, shared by the AsyncAPI and the OpenAPI webhooks
 * documents: each event version's payload is `<Title>V<n>`, its envelope `<Title>V<n>Envelope`,
 * and every shared definition (the `$defs` of the bundled schemas, keyed by type name) is one
 * component whatever number of events use it. `$ref`s are rewritten to `<prefix><Name>`.
 */

/** One event type at one version, as both the generator's model and the server's catalog view know it. */
export interface DocumentEvent {
  /** Standard Webhooks event type, e.g. `order.created`. */
  readonly type: string;
  readonly version: number;
  /** PascalCase name of the payload (the schema `title`), e.g. `OrderCreated`. */
  readonly title: string;
  readonly description: string;
  readonly deprecated: boolean;
  /** The payload schema made self-contained: `$ref`s are `#` or `#/$defs/<Name>` (the bundler's output). */
  readonly schema: unknown;
  readonly examples: readonly unknown[];
}

/** What the documents say about the documented application. */
export interface DocumentInfo {
  readonly title: string;
  /** Version of the documented API (the catalog or server version). */
  readonly version: string;
  readonly description?: string;
}

export interface EventComponents {
  /** Component name → schema, sorted by name. */
  readonly schemas: Record<string, unknown>;
  /** Per event (same order as given): names of its payload and envelope components. */
  readonly names: ReadonlyArray<{ readonly payload: string; readonly envelope: string }>;
}

/** Timestamp used in example envelopes, fixed so that the documents are reproducible. */
export const EXAMPLE_TIMESTAMP = "2026-01-01T00:00:00.000Z";

/** `<Title>V<n>`, the SDK's per-version type name; a title that already ends in `V<n>` is kept as it is. */
export function payloadComponentName(event: Pick<DocumentEvent, "title" | "version">): string {
  const suffix = `V${event.version}`;
  return event.title.endsWith(suffix) ? event.title : `${event.title}${suffix}`;
}

export function eventComponents(events: readonly DocumentEvent[], refPrefix: string): EventComponents {
  const schemas = new Map<string, unknown>();
  const rawShared = new Map<string, string>();
  const names = events.map((event) => {
    const payload = payloadComponentName(event);
    const envelope = `${payload}Envelope`;
    const { $defs, $schema: _dialect, $id: _id, ...body } = asRecord(event.schema);
    // A local definition whose name another event already uses for a different schema is qualified with this payload's name.
    const renamed = new Map<string, string>();
    for (const [name, definition] of Object.entries(asRecord($defs))) {
      const raw = JSON.stringify(definition);
      const seen = rawShared.get(name);
      if (seen === undefined || seen === raw) {
        rawShared.set(name, raw);
        renamed.set(name, name);
      } else {
        renamed.set(name, `${payload}${name}`);
      }
    }
    const target = (ref: string): string => {
      if (ref === "#") return refPrefix + payload;
      const match = /^#\/\$defs\/([^/]+)$/.exec(ref);
      const name = match?.[1] === undefined ? undefined : renamed.get(match[1]);
      if (name === undefined) throw new Error(`${event.type} v${event.version}: $ref ${ref} does not point at one of the schema's $defs`);
      return refPrefix + name;
    };
    for (const [name, definition] of Object.entries(asRecord($defs))) {
      schemas.set(renamed.get(name) as string, rewriteRefs(definition, target));
    }
    schemas.set(payload, { ...(rewriteRefs(body, target) as object), ...(event.deprecated ? { deprecated: true } : {}) });
    schemas.set(envelope, envelopeSchema(event, refPrefix + payload));
    return { payload, envelope };
  });
  return { schemas: Object.fromEntries([...schemas].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))), names };
}

/** `{"type","version","timestamp","data"}`: what every delivery's body is, signed as a whole. */
function envelopeSchema(event: DocumentEvent, payloadRef: string): Record<string, unknown> {
  return {
    title: `${event.type} v${event.version} envelope`,
    description: `The body of a \`${event.type}\` version ${event.version} delivery; \`data\` is the payload.`,
    type: "object",
    additionalProperties: false,
    required: ["type", "version", "timestamp", "data"],
    properties: {
      type: { const: event.type },
      version: { const: event.version },
      timestamp: { type: "string", format: "date-time", description: "When the event happened (ISO 8601, UTC)." },
      data: { $ref: payloadRef },
    },
    ...(event.deprecated ? { deprecated: true } : {}),
  };
}

/** Example envelopes, one per example payload. */
export function exampleEnvelopes(event: DocumentEvent): Array<{ type: string; version: number; timestamp: string; data: unknown }> {
  return event.examples.map((data) => ({ type: event.type, version: event.version, timestamp: EXAMPLE_TIMESTAMP, data }));
}

/** Schema keywords whose values are data, never schemas: left as written (the bundler does the same). */
const DATA_KEYWORDS = new Set(["examples", "const", "enum", "default"]);

function rewriteRefs(value: unknown, target: (ref: string) => string): unknown {
  if (Array.isArray(value)) return value.map((item) => rewriteRefs(item, target));
  if (typeof value !== "object" || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    if (key === "$ref" && typeof child === "string") out[key] = target(child);
    else if (DATA_KEYWORDS.has(key)) out[key] = child;
    else out[key] = rewriteRefs(child, target);
  }
  return out;
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/** The first sentence of a description, for one-line summaries. */
export function firstSentence(text: string): string {
  const end = text.search(/\.(\s|$)/);
  return end === -1 ? text : text.slice(0, end + 1);
}
