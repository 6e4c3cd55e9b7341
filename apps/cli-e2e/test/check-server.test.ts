/**
 * `hookline check --server` against a real server process (issue 13 item 5): endpoints pinned to
 * order.shipped v1 and v2 exist on the server; a breaking edit of order.shipped v1 in a copy of the
 * catalog lists the v1 endpoints (id, URL host, tenant) under the change, not the v2 one, and exits 1.
 */

import { cp, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { main } from "@hookline/generator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { API_KEY, assertBuilt, REPO_ROOT, type ServerProcess, startServer, tempDir } from "./support.js";

const SHIPPED_V1 = "events/orders/order.shipped.v1.json";

let server: ServerProcess;
let work: string;
beforeAll(async () => {
  assertBuilt();
  work = tempDir();
  server = await startServer(path.join(work));
});
afterAll(async () => {
  await server?.kill("SIGKILL");
  await rm(work, { recursive: true, force: true });
});

async function createEndpoint(url: string, pins: Record<string, number>, tenant?: string): Promise<{ id: string }> {
  const res = await fetch(`${server.url}/v1/endpoints`, {
    method: "POST",
    headers: { authorization: `Bearer ${API_KEY}`, "content-type": "application/json" },
    body: JSON.stringify({ url, pins, ...(tenant === undefined ? {} : { tenant }) }),
  });
  const body = (await res.json()) as { id: string; pins: Record<string, number> };
  expect(res.status, JSON.stringify(body)).toBe(201);
  expect(body.pins).toMatchObject(pins);
  return body;
}

/** The repository's catalog copied to `dir` (without node_modules), as `--against` and as the edited one. */
async function copyCatalog(dir: string): Promise<string> {
  await cp(path.join(REPO_ROOT, "catalog"), dir, { recursive: true, filter: (src) => !src.includes("node_modules") });
  return dir;
}

describe("hookline check --server, against the real server", () => {
  it("lists the endpoints pinned to the broken version (id, host, tenant) under the breaking change and exits 1", async () => {
    const acme = await createEndpoint("http://127.0.0.1:9/acme", { "order.shipped": 1 }, "acme");
    const anonymous = await createEndpoint("http://hooks.example.test/ship", { "order.shipped": 1 });
    const onV2 = await createEndpoint("http://127.0.0.1:9/globex", { "order.shipped": 2 }, "globex");

    const original = await copyCatalog(path.join(work, "original"));
    const edited = await copyCatalog(path.join(work, "edited"));
    // A breaking edit of a released version: a new required property.
    const file = path.join(edited, SHIPPED_V1);
    const schema = JSON.parse(await readFile(file, "utf8")) as {
      required: string[];
      properties: Record<string, unknown>;
      examples: Record<string, unknown>[];
    };
    schema.required.push("carrier");
    schema.properties["carrier"] = { description: "The carrier's name.", type: "string" };
    schema.examples = schema.examples.map((example) => ({ ...example, carrier: "DHL" }));
    await writeFile(file, JSON.stringify(schema, null, 2));

    let out = "";
    let err = "";
    const previousKey = process.env["HOOKLINE_API_KEY"];
    process.env["HOOKLINE_API_KEY"] = API_KEY;
    let code: number;
    try {
      code = await main(["node", "hookline", "check", "--catalog", edited, "--against", original, "--server", server.url], {
        out: (s) => {
          out += s;
        },
        err: (s) => {
          err += s;
        },
      });
    } finally {
      if (previousKey === undefined) delete process.env["HOOKLINE_API_KEY"];
      else process.env["HOOKLINE_API_KEY"] = previousKey;
    }
    expect({ code, err }).toEqual({ code: 1, err: "" });
    const breaking = out.split("\n").findIndex((line) => line.includes("BREAKING") && line.includes(`${SHIPPED_V1}#/`));
    expect(breaking, out).toBeGreaterThanOrEqual(0);
    const listed = out.split("\n").slice(breaking + 1, breaking + 4);
    expect(listed[0]).toBe("            2 endpoints pinned to order.shipped v1:");
    expect(listed.slice(1).sort()).toEqual(
      [`              ${acme.id}  127.0.0.1:9  tenant acme`, `              ${anonymous.id}  hooks.example.test  tenant (none)`].sort(),
    );
    expect(out).not.toContain(onV2.id);
    expect(out + err).not.toContain(API_KEY);
  });
});
