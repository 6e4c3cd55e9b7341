/**
 * Payloads of `hookline fixtures` / `trigger`: every type and version of the real catalog gets a
 * valid one (example and generated), generated payloads of fuzzed schemas validate, `--set` edits by
 * pointer or dotted path, and a wrong value fails with the schema's message before anything is sent.
 */

import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { type LocalCatalog, openCatalog } from "../src/commands/catalog-source.js";
import { generateValid } from "../src/commands/payload.js";
import { createAjv } from "../src/load/ajv.js";
import { REAL_CATALOG } from "./support/catalog.js";
import { fuzzedPayloadSchema } from "./support/fuzzed-catalog.js";
import { countingServer, recordingServer, runCli } from "./support/run-cli.js";

let catalog: LocalCatalog;
beforeAll(async () => {
  catalog = await openCatalog({ catalog: REAL_CATALOG });
});

describe("hookline fixtures on the real catalog", () => {
  it("prints the example, or a generated payload with --generate, that validates for every type", { timeout: 120_000 }, async () => {
    for (const type of catalog.types()) {
      const event = catalog.event(type);
      const validate = catalog.validator(event);
      const example = await runCli("fixtures", type, "--catalog", REAL_CATALOG);
      expect(example.code, example.err).toBe(0);
      expect(JSON.parse(example.out)).toEqual(event.examples[0]);
      const generated = await runCli("fixtures", type, "--generate", "--seed", "3", "--catalog", REAL_CATALOG);
      expect(generated.code, `${type}: ${generated.err}`).toBe(0);
      expect(validate(JSON.parse(generated.out)), `${type}: ${JSON.stringify(validate.errors)}`).toBe(true);
    }
  });

  it("generates valid payloads for every version, not only the newest", { timeout: 60_000 }, async () => {
    for (const event of catalog.model.events) {
      const validate = catalog.validator(event);
      for (let seed = 1; seed <= 5; seed++) {
        const generated = await generateValid(event.bundledSchema, (v) => validate(v), seed);
        expect(generated, `${event.type} v${event.version} seed ${seed}`).toBeDefined();
      }
    }
    const v1 = await runCli("fixtures", "order.shipped", "--version", "1", "--generate", "--catalog", REAL_CATALOG);
    expect(catalog.validator(catalog.event("order.shipped", 1))(JSON.parse(v1.out))).toBe(true);
  });

  it("is deterministic for a seed", async () => {
    const a = await runCli("fixtures", "order.paid", "--generate", "--seed", "42", "--catalog", REAL_CATALOG);
    const b = await runCli("fixtures", "order.paid", "--generate", "--seed", "42", "--catalog", REAL_CATALOG);
    expect(a.out).toBe(b.out);
  });

  it("lists the types with no argument (--json for scripts)", async () => {
    const { code, out } = await runCli("fixtures", "--json", "--catalog", REAL_CATALOG);
    expect(code).toBe(0);
    const rows = JSON.parse(out) as { type: string; versions: number[] }[];
    expect(rows.map((r) => r.type)).toEqual(catalog.types());
    expect(rows.find((r) => r.type === "order.shipped")?.versions).toEqual([1, 2]);
  });

  it("suggests the nearest names for an unknown type (exit 2)", async () => {
    const { code, out, err } = await runCli("fixtures", "order.piad", "--catalog", REAL_CATALOG);
    expect({ code, out }).toEqual({ code: 2, out: "" });
    expect(err).toMatch(/^hookline: Unknown event type "order.piad" in the catalog at .*\. Did you mean order\.paid\b.*\n$/);
    expect(err.split("\n")).toHaveLength(2);
  });

  it("names the versions that exist for an unknown --version", async () => {
    const { code, err } = await runCli("fixtures", "order.shipped", "--version", "7", "--catalog", REAL_CATALOG);
    expect(code).toBe(2);
    expect(err).toContain("order.shipped has no version 7");
    expect(err).toContain("it has 1, 2.");
  });
});

describe("--set", () => {
  it("edits by JSON pointer and by dotted path, parsing JSON values", async () => {
    const { code, out, err } = await runCli(
      "fixtures",
      "order.paid",
      "--set",
      "amount.amount=1250",
      "--set",
      "/paymentId=pay_Zz9",
      "--set",
      'orderId="ord_42"',
      "--catalog",
      REAL_CATALOG,
    );
    expect(code, err).toBe(0);
    const payload = JSON.parse(out) as { amount: { amount: number }; paymentId: string; orderId: string };
    expect(payload.amount.amount).toBe(1250);
    expect(payload.paymentId).toBe("pay_Zz9");
    expect(payload.orderId).toBe("ord_42");
  });

  it("fails before sending, with the schema's message, when the value breaks the schema", async () => {
    const server = await countingServer();
    try {
      const { code, out, err } = await runCli(
        "trigger",
        "order.paid",
        "--set",
        "amount.currency=euro",
        "--catalog",
        REAL_CATALOG,
        "--url",
        server.url,
        "--api-key",
        "k",
      );
      expect({ code, out, requests: server.requests() }).toEqual({ code: 2, out: "", requests: 0 });
      expect(err).toContain('Invalid payload for "order.paid": /amount/currency must match pattern "^[A-Z]{3}$"');
      expect(err).toContain("Nothing was sent: fix the --set values");
      expect(err.trimEnd().split("\n")).toHaveLength(1);
    } finally {
      await server.close();
    }
  });

  it("--version N builds and validates the payload of that version and sends `version` with it", async () => {
    const server = await recordingServer();
    try {
      const args = ["--catalog", REAL_CATALOG, "--url", server.url, "--api-key", "k", "--json"];
      const { code, err } = await runCli("trigger", "order.shipped", "--version", "1", "--id", "shipped-v1", ...args);
      expect(code, err).toBe(0);
      const v1 = catalog.event("order.shipped", 1);
      expect(server.bodies).toEqual([{ type: "order.shipped", payload: v1.examples[0], id: "shipped-v1", version: 1 }]);
      // Without --version: the newest schema's example, and no version field (the server's default).
      await runCli("trigger", "order.shipped", "--id", "shipped-new", ...args);
      expect(server.bodies[1]).toEqual({ type: "order.shipped", payload: catalog.event("order.shipped").examples[0], id: "shipped-new" });
    } finally {
      await server.close();
    }
  });

  it("trigger takes one type or --all, and per-event flags only with one type (exit 2, nothing read from the server)", async () => {
    for (const args of [[], ["order.paid", "--all"], ["--all", "--version", "1"], ["--all", "--set", "a=1"]]) {
      const { code, err } = await runCli("trigger", ...args, "--catalog", REAL_CATALOG, "--url", "http://127.0.0.1:9", "--api-key", "k");
      expect({ args, code }).toEqual({ args, code: 2 });
      expect(err.trimEnd().split("\n")).toHaveLength(1);
    }
  });

  it("refuses a malformed assignment and an index past the end of an array", async () => {
    expect((await runCli("fixtures", "order.paid", "--set", "amount", "--catalog", REAL_CATALOG)).err).toContain("is not path=value");
    const far = await runCli("fixtures", "order.created", "--set", "/lineItems/99/sku=x", "--catalog", REAL_CATALOG);
    expect(far.code).toBe(2);
    expect(far.err).toContain('"99" is not an index');
  });
});

describe("generated payloads of fuzzed schemas", () => {
  it("validate against the schema they were generated from", async () => {
    const ajv = createAjv();
    await fc.assert(
      fc.asyncProperty(fuzzedPayloadSchema, fc.integer({ min: 1, max: 1_000_000 }), async (fuzzed, seed) => {
        const validate = ajv.compile(fuzzed);
        const generated = await generateValid(fuzzed, (v) => validate(v), seed);
        expect(generated, JSON.stringify(fuzzed)).toBeDefined();
        expect(validate(generated?.value)).toBe(true);
      }),
      { numRuns: 150 },
    );
  });
});
