/**
 * `hookline check --server`: a real HTTP server on loopback answers the documented
 * `GET /v1/event-types/{type}/versions/{version}/subscribers` shape (`{ data: [{ id, urlHost,
 * tenant, disabled }], count }`, API key as a Bearer token), and check lists those endpoints under
 * each breaking change. The server route itself lands from the pinning work; an end-to-end test
 * against it belongs to the server's tests.
 */

import { type Server, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { eventSchema, removeTempDirs } from "./support/catalog.js";
import { CREATED, baseCatalog, beforeAfter, createdV1, hookline } from "./support/check.js";

const KEY = "hl_test_secret_key_123";
const SHIPPED = "events/orders/order.shipped.v1.json";
const SHIPPED_V2 = "events/orders/order.shipped.v2.json";

/** Endpoints per "type@version", as the pinning API would list them. */
const PINNED: Record<string, unknown[]> = {
  "order.created@1": [
    { id: "ep_01", urlHost: "hooks.acme.example", tenant: "acme", disabled: false },
    { id: "ep_02", urlHost: "in.globex.example", tenant: null, disabled: true },
  ],
  "order.shipped@1": [{ id: "ep_07", urlHost: "ship.initech.example", tenant: "initech", disabled: false }],
};

let server: Server;
let url: string;
const requests: string[] = [];
let routeMissing = false;

beforeAll(async () => {
  server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    if (req.headers.authorization !== `Bearer ${KEY}`)
      return send(401, { error: { code: "invalid_api_key", message: "The API key is not valid.", details: {} } });
    const match = /^\/v1\/event-types\/([^/]+)\/versions\/(\d+)\/subscribers$/.exec(req.url ?? "");
    if (routeMissing || match === null)
      return send(404, { error: { code: "not_found", message: `No route GET ${req.url}.`, details: {} } });
    const data = PINNED[`${decodeURIComponent(match[1] as string)}@${match[2]}`] ?? [];
    send(200, { data, count: data.length });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await removeTempDirs();
});

afterEach(() => {
  vi.unstubAllEnvs();
  requests.length = 0;
  routeMissing = false;
});

const breakingEdit = () => {
  const schema = createdV1();
  return {
    ...baseCatalog(),
    [CREATED]: { ...schema, properties: { ...(schema.properties as object), note: { description: "Note.", type: "string" } } },
  };
};

async function check(after: Record<string, unknown>, before: Record<string, unknown> = baseCatalog(), serverUrl = url) {
  const { old, current } = await beforeAfter(before, after);
  return hookline("check", "--catalog", current, "--against", old, "--server", serverUrl);
}

describe("hookline check --server", () => {
  it("lists the endpoints pinned to each broken event version under the change, asking once per version", async () => {
    vi.stubEnv("HOOKLINE_API_KEY", KEY);
    const { code, out, err } = await check(breakingEdit());
    expect({ code, err }).toEqual({ code: 1, err: "" });
    expect(out).toContain(
      [
        `  BREAKING  ${CREATED}#/properties/note  property-added-optional-to-closed-object  backward:compatible forward:breaking full:breaking  optional property "note" added`,
        "            2 endpoints pinned to order.created v1:",
        "              ep_01  hooks.acme.example  tenant acme",
        "              ep_02  in.globex.example  tenant (none)  (disabled)",
      ].join("\n"),
    );
    expect(requests).toEqual(["GET /v1/event-types/order.created/versions/1/subscribers"]);
    expect(out + err).not.toContain(KEY);
  });

  it("says when no endpoint is pinned to a broken version", async () => {
    vi.stubEnv("HOOKLINE_API_KEY", KEY);
    const paid = "events/orders/order.paid.v1.json";
    const catalog = baseCatalog();
    const { code, out } = await check({ ...catalog, [paid]: { ...(catalog[paid] as object), additionalProperties: true } });
    expect(code).toBe(1);
    expect(out).toContain("additional-properties-opened");
    expect(out).toContain("            no endpoint is pinned to order.paid v1\n");
  });

  it("puts the endpoints in the --json report", async () => {
    vi.stubEnv("HOOKLINE_API_KEY", KEY);
    const { old, current } = await beforeAfter(baseCatalog(), breakingEdit());
    const { out } = await hookline("check", "--catalog", current, "--against", old, "--server", url, "--json");
    const report = JSON.parse(out);
    expect(report.server).toBe(url);
    expect(report.changes[0].subscribers).toEqual({ endpoints: PINNED["order.created@1"], count: 2 });
  });

  it("warns, naming the endpoints, when a deprecated version still pinned is removed", async () => {
    vi.stubEnv("HOOKLINE_API_KEY", KEY);
    const before = {
      ...baseCatalog(),
      [SHIPPED]: { ...eventSchema(SHIPPED), deprecated: true },
      [SHIPPED_V2]: eventSchema(SHIPPED_V2, { title: "OrderShippedV2" }),
    };
    const { [SHIPPED]: _removed, ...after } = before;
    const { code, out } = await check(after, before);
    expect(code).toBe(0);
    expect(out).toContain(
      [
        "  warning: deprecated order.shipped v1 is removed, but 1 endpoint is still pinned to it",
        '    fix: re-pin them to a newer version (PATCH /v1/endpoints/{id} with "pins": {"order.shipped": <version>}) before deploying this catalog; the server refuses to load a catalog that removes a pinned version',
        "    1 endpoint pinned to order.shipped v1:",
        "      ep_07  ship.initech.example  tenant initech",
      ].join("\n"),
    );
  });

  it("counts the pinned endpoints when a version becomes deprecated", async () => {
    vi.stubEnv("HOOKLINE_API_KEY", KEY);
    const v2 = { [SHIPPED_V2]: eventSchema(SHIPPED_V2, { title: "OrderShippedV2" }) };
    const { code, out } = await check(
      { ...baseCatalog(), ...v2, [SHIPPED]: { ...eventSchema(SHIPPED), deprecated: true } },
      { ...baseCatalog(), ...v2 },
    );
    expect(code).toBe(0);
    expect(out).toContain("  warning: order.shipped v1 is now deprecated; 1 endpoint is pinned to it\n");
  });

  it("exits 2 with one line when the server refuses the key, never printing it", async () => {
    vi.stubEnv("HOOKLINE_API_KEY", "wrong-key-456");
    const { code, out, err } = await check(breakingEdit());
    expect({ code, out }).toEqual({ code: 2, out: "" });
    expect(err).toBe(
      `hookline check: The Hookline server at ${url} refused the API key (401); set HOOKLINE_API_KEY to a key that server accepts.\n`,
    );
    expect(err).not.toContain("wrong-key-456");
  });

  it("exits 2 with one line when HOOKLINE_API_KEY is not set", async () => {
    vi.stubEnv("HOOKLINE_API_KEY", "");
    const { code, err } = await check(breakingEdit());
    expect(code).toBe(2);
    expect(err).toBe(
      "hookline check: --server needs the server's API key: set HOOKLINE_API_KEY in the environment (it is never printed).\n",
    );
  });

  it("exits 2 with one line when the server cannot be reached", async () => {
    vi.stubEnv("HOOKLINE_API_KEY", KEY);
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const deadUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise((resolve) => closed.close(resolve));
    const { code, err } = await check(breakingEdit(), baseCatalog(), deadUrl);
    expect(code).toBe(2);
    expect(err).toBe(
      `hookline check: Cannot reach the Hookline server at ${deadUrl} (ECONNREFUSED); start it or pass the right --server URL.\n`,
    );
  });

  it("exits 2 with one line when --server is not an http(s) URL", async () => {
    vi.stubEnv("HOOKLINE_API_KEY", KEY);
    const { code, err } = await check(breakingEdit(), baseCatalog(), "localhost:3000");
    expect(code).toBe(2);
    expect(err).toBe(
      "hookline check: --server localhost:3000 is not an http(s) URL; pass the server's base URL, e.g. http://127.0.0.1:3000.\n",
    );
  });

  it("exits 2 with one line when the server has no subscriber route", async () => {
    vi.stubEnv("HOOKLINE_API_KEY", KEY);
    routeMissing = true;
    const { code, err } = await check(breakingEdit());
    expect(code).toBe(2);
    expect(err).toBe(
      `hookline check: The Hookline server at ${url} has no subscriber listing (GET /v1/event-types/order.created/versions/1/subscribers answered 404); upgrade the server to a version with pinning.\n`,
    );
  });
});
