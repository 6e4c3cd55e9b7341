/**
 * The API client's wire types (packages/core/src/client/wire.generated.ts) are what openapi-typescript
 * generates from this server's document (its API part, the one without catalog types): a route
 * schema changed without `npm run wire-types -w @hookline/server` fails here, so the client cannot
 * drift from the server again.
 */
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, expect, it } from "vitest";
// @ts-expect-error: a plain JavaScript script (types not declared)
import { renderWireTypes, WIRE_TYPES_PATH } from "../../scripts/wire-types.mjs";
import { startServer, type TestServer } from "../support/server.js";

let server: TestServer;
beforeAll(async () => {
  server = await startServer({ deps: { startWorker: false } });
});
afterAll(() => server.close());

it("the committed wire types equal what the current server's document generates", { timeout: 60_000 }, async () => {
  const committed = readFileSync(WIRE_TYPES_PATH, "utf8");
  const generated = (await renderWireTypes(server.app.http.swagger())) as string;
  expect(committed.startsWith("/**\n * Wire types")).toBe(true);
  expect(committed).toContain("DO NOT EDIT");
  // Compared whole: a difference is shown as a diff of the two files.
  expect(committed, "packages/core/src/client/wire.generated.ts is stale: run `npm run wire-types -w @hookline/server`").toBe(generated);
});

it("the served document is that API part plus the catalog: every generic path and component is in it", { timeout: 60_000 }, async () => {
  const generic = server.app.http.swagger() as unknown as {
    paths: Record<string, unknown>;
    components: { schemas: Record<string, unknown> };
  };
  const served = (await server.api("GET", "/openapi.json")).body;
  expect(Object.keys(served.paths).sort()).toEqual(Object.keys(generic.paths).sort());
  for (const name of Object.keys(generic.components.schemas)) expect(served.components.schemas, name).toHaveProperty([name]);
  // Only the two catalog-typed components differ.
  const changed = Object.keys(generic.components.schemas).filter(
    (name) => JSON.stringify(generic.components.schemas[name]) !== JSON.stringify(served.components.schemas[name]),
  );
  expect(changed.sort()).toEqual(["EventEnvelope", "SendEvent"]);
});
