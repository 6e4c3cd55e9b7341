import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { Store } from "../../src/store/store.js";
import { testBackend } from "../support/postgres.js";
import { removeStorage, storeFor } from "../support/server.js";

describe(`${testBackend()} meta`, () => {
  const dir = mkdtempSync(join(tmpdir(), "hookline-meta-"));
  const stores: Store[] = [];
  afterEach(async () => {
    for (const s of stores.splice(0)) await s.close();
    await removeStorage(dir);
  });

  it("lets the first of several processes initialising a value win, and tells every one of them the winner", async () => {
    stores.push(storeFor(dir), storeFor(dir), storeFor(dir));
    await stores[0]!.migrate();
    const answers = await Promise.all(stores.map((s, i) => s.setMetaIfAbsent("api_key_sha256", `candidate-${i}`)));
    expect(new Set(answers).size).toBe(1);
    expect(answers[0]).toMatch(/^candidate-[012]$/);
    expect(await stores[1]!.getMeta("api_key_sha256")).toBe(answers[0]);
  });
});
