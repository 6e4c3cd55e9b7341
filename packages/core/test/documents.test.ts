/**
 * The document builders of `@hookline/core/internal` on small hand-made catalogs: how bundled
 * `$defs` become components (shared once, qualified when two events give one name two schemas,
 * recursion, data keywords untouched), and how webhooks merge into an API's OpenAPI document.
 * (The full documents are validated with the AsyncAPI and OpenAPI parsers in the generator's and
 * the server's tests.)
 */
import { describe, expect, it } from "vitest";
import { asyncApiDocument, type DocumentEvent, mergeWebhooks, openApiWebhooks } from "../src/internal.js";

const money = { type: "object", properties: { amount: { type: "integer" } } };

function event(type: string, version: number, title: string, schema: Record<string, unknown>, deprecated = false): DocumentEvent {
  return { type, version, title, description: `${type} happened.`, deprecated, schema, examples: [] };
}

describe("components", () => {
  it("makes a definition shared by two events one component and points every $ref at it", () => {
    const { webhooks, schemas } = openApiWebhooks([
      event("order.created", 1, "OrderCreated", {
        $schema: "https://json-schema.org/draft/2020-12/schema",
        $id: "https://example.com/order.created.v1.json",
        type: "object",
        properties: { total: { $ref: "#/$defs/Money" } },
        $defs: { Money: money },
      }),
      event("order.paid", 1, "OrderPaid", { type: "object", properties: { paid: { $ref: "#/$defs/Money" } }, $defs: { Money: money } }),
    ]);
    expect(Object.keys(schemas)).toEqual(["Money", "OrderCreatedV1", "OrderCreatedV1Envelope", "OrderPaidV1", "OrderPaidV1Envelope"]);
    expect(schemas.OrderCreatedV1).toEqual({ type: "object", properties: { total: { $ref: "#/components/schemas/Money" } } });
    expect(Object.keys(webhooks)).toEqual(["order.created.v1", "order.paid.v1"]);
  });

  it("qualifies a local definition whose name another event uses for a different schema", () => {
    const { schemas } = openApiWebhooks([
      event("a.one", 1, "AOne", { properties: { x: { $ref: "#/$defs/Item" } }, $defs: { Item: { type: "string" } } }),
      event("b.two", 2, "BTwo", { properties: { x: { $ref: "#/$defs/Item" } }, $defs: { Item: { type: "integer" } } }),
    ]);
    expect(schemas.Item).toEqual({ type: "string" });
    expect(schemas.BTwoV2Item).toEqual({ type: "integer" });
    expect(schemas.BTwoV2).toEqual({ properties: { x: { $ref: "#/components/schemas/BTwoV2Item" } } });
  });

  it("points a recursive reference to the root at the payload's component and leaves data keywords as written", () => {
    const { schemas } = openApiWebhooks([
      event("tree.grown", 1, "TreeGrown", {
        properties: { children: { type: "array", items: { $ref: "#" } }, kind: { const: { $ref: "#" } } },
        examples: [{ $ref: "#/$defs/Nope" }],
      }),
    ]);
    expect(schemas.TreeGrownV1).toEqual({
      properties: { children: { type: "array", items: { $ref: "#/components/schemas/TreeGrownV1" } }, kind: { const: { $ref: "#" } } },
      examples: [{ $ref: "#/$defs/Nope" }],
    });
  });

  it("names a version's payload <Title>V<n>, keeping a title that already ends in V<n>", () => {
    const { schemas } = openApiWebhooks([event("a.one", 1, "AOneV1", { type: "object" }), event("a.one", 2, "AOne", { type: "object" })]);
    expect(Object.keys(schemas)).toEqual(["AOneV1", "AOneV1Envelope", "AOneV2", "AOneV2Envelope"]);
  });

  it("names the event and the reference when a $ref is not one of the schema's $defs", () => {
    expect(() => openApiWebhooks([event("a.one", 3, "AOne", { properties: { x: { $ref: "https://example.com/x.json" } } })])).toThrow(
      "a.one v3: $ref https://example.com/x.json does not point at one of the schema's $defs",
    );
  });

  it("marks a deprecated version on the webhook, the payload, the envelope and the AsyncAPI message", () => {
    const events = [event("a.one", 1, "AOne", { type: "object" }, true), event("a.one", 2, "AOne", { type: "object" })];
    const { webhooks, schemas } = openApiWebhooks(events);
    expect((webhooks["a.one.v1"] as { post: { deprecated?: boolean } }).post.deprecated).toBe(true);
    expect((webhooks["a.one.v2"] as { post: { deprecated?: boolean } }).post.deprecated).toBeUndefined();
    expect(schemas.AOneV1).toEqual({ type: "object", deprecated: true });
    expect(schemas.AOneV1Envelope).toMatchObject({ deprecated: true, properties: { version: { const: 1 }, type: { const: "a.one" } } });
    const asyncapi = asyncApiDocument(events, { title: "T", version: "1" }) as {
      components: { messages: Record<string, { tags?: unknown[] }> };
    };
    expect(asyncapi.components.messages.AOneV1?.tags).toEqual([expect.objectContaining({ name: "deprecated" })]);
    expect(asyncapi.components.messages.AOneV2?.tags).toBeUndefined();
  });
});

describe("mergeWebhooks", () => {
  const webhooks = openApiWebhooks([event("a.one", 1, "AOne", { type: "object" })]);

  it("adds webhooks and their schemas next to the API's own components", () => {
    const api = { openapi: "3.1.0", paths: {}, components: { securitySchemes: { apiKey: {} }, schemas: { Error: { type: "object" } } } };
    const merged = mergeWebhooks(api, webhooks) as { webhooks: object; components: { schemas: object; securitySchemes: object } };
    expect(Object.keys(merged.webhooks)).toEqual(["a.one.v1"]);
    expect(Object.keys(merged.components.schemas)).toEqual(["AOneV1", "AOneV1Envelope", "Error"]);
    expect(merged.components.securitySchemes).toEqual({ apiKey: {} });
  });

  it("refuses a component name the API uses for a different schema", () => {
    const api = { openapi: "3.1.0", components: { schemas: { AOneV1: { type: "string" } } } };
    expect(() => mergeWebhooks(api, webhooks)).toThrow(
      'OpenAPI component schema "AOneV1" is both an API schema and a catalog schema; rename one of them',
    );
  });
});
