/**
 * The catalog workflow a user follows: add an event schema, regenerate, and the new event is typed.
 * Runs the real generator on a copy of the real catalog and compiles code against the output with
 * tsc under the repository's strict settings.
 */

import { execFile } from "node:child_process";
import { cp, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { generate, parseConfig } from "@hookline/generator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
const require = createRequire(import.meta.url);
const packageDir = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const catalogDir = path.dirname(require.resolve("@hookline/catalog/package.json"));
const tsc = path.join(path.dirname(require.resolve("typescript/package.json")), "bin", "tsc");

const invoicePaid = {
  $schema: "https://json-schema.org/draft/2020-12/schema",
  $id: "https://hookline.dev/catalog/events/saas/invoice.paid.v1.json",
  title: "InvoicePaid",
  description: "Sent when an invoice is paid in full.",
  "x-hookline": { type: "invoice.paid", version: 1 },
  type: "object",
  additionalProperties: false,
  required: ["invoiceId", "amount", "paidAt"],
  properties: {
    invoiceId: { description: "Invoice id.", type: "string", pattern: "^in_[A-Za-z0-9]+$" },
    amount: { description: "Amount paid.", $ref: "../../defs/money.json" },
    paidAt: { description: "When it was paid.", type: "string", format: "date-time" },
  },
  examples: [{ invoiceId: "in_123", amount: { amount: 4200, currency: "EUR" }, paidAt: "2026-01-02T03:04:05Z" }],
};

const usage = `
import { createSender, type InvoicePaid, type Money } from "./generated/index.js";

const sender = createSender({ secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw" });
const amount: Money = { amount: 4200, currency: "EUR" };
const payload: InvoicePaid = { invoiceId: "in_123", amount, paidAt: "2026-01-02T03:04:05Z" };
const signed = sender.build("invoice.paid", payload, { id: "msg_new_event" });
export function neverCalled(): void {
  // @ts-expect-error amount is Money, not a number
  sender.build("invoice.paid", { ...payload, amount: 4200 });
}
try {
  sender.build("invoice.paid", { ...payload, invoiceId: "nope" });
} catch (error) {
  console.log((error as { issues: { path: string }[] }).issues.map((i) => i.path).join(","));
}
console.log(signed.body);
`;

describe("adding an event to the catalog", () => {
  let work: string;

  beforeAll(async () => {
    await mkdir(path.join(packageDir, ".tmp"), { recursive: true });
    work = await mkdtemp(path.join(packageDir, ".tmp", "add-event-"));
    await cp(catalogDir, path.join(work, "catalog"), { recursive: true, filter: (src) => !src.includes("node_modules") });
    await writeFile(path.join(work, "catalog", "events", "saas", "invoice.paid.v1.json"), JSON.stringify(invoicePaid, null, 2));
  });
  afterAll(() => rm(work, { recursive: true, force: true }));

  it("regenerates, compiles under strict settings, and the new event is typed and validated", async () => {
    const config = parseConfig(
      { catalog: "./catalog", outputs: [{ target: "sender", outDir: "src/generated" }] },
      path.join(work, "hookline.config.json"),
    );
    const result = await generate(config);
    expect(result.model.events.map((e) => e.type)).toContain("invoice.paid");

    await writeFile(path.join(work, "src", "use.ts"), usage);
    await writeFile(
      path.join(work, "tsconfig.json"),
      JSON.stringify({
        extends: path.join(packageDir, "..", "..", "tsconfig.base.json"),
        compilerOptions: { rootDir: "src", outDir: "dist", declaration: false, declarationMap: false, sourceMap: false },
        include: ["src"],
      }),
    );
    await writeFile(path.join(work, "package.json"), JSON.stringify({ type: "module", private: true }));
    await run(process.execPath, [tsc, "-p", path.join(work, "tsconfig.json")], { cwd: work });

    const { stdout } = await run(process.execPath, [path.join(work, "dist", "use.js")], { cwd: work });
    const [issues, body] = stdout.trim().split("\n");
    expect(issues).toBe("/invoiceId");
    expect(JSON.parse(body ?? "")).toMatchObject({ type: "invoice.paid", data: { invoiceId: "in_123" } });
  }, 120_000);
});
