import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { assertBuilt, BIN, spawnServer } from "../support/process.js";

describe("hookline-server CLI", () => {
  let dir: string;
  beforeAll(() => {
    assertBuilt();
    dir = mkdtempSync(join(tmpdir(), "hookline-cli-"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const stop = async (server: Awaited<ReturnType<typeof spawnServer>>): Promise<void> => {
    server.child.kill("SIGINT");
    expect(await server.exited).toBe(0);
  };

  it("generates an API key on the first start, prints it once with a working curl example, and never again", {
    timeout: 20_000,
  }, async () => {
    const env = { HOOKLINE_DB: join(dir, "first.db") };
    const first = await spawnServer(env, ["serve", "--dev-allow-loopback"]);
    const key = /API key:\s+(hk_[A-Za-z0-9_-]{43})/.exec(first.output())?.[1];
    expect(key).toBeDefined();
    expect(first.output()).toMatch(
      /Egress:\s+loopback \(127\.0\.0\.1, ::1\) allowed for LOCAL DEVELOPMENT because HOOKLINE_EGRESS_ALLOW is unset/,
    );
    const curl = /Try:\s+(curl .*)$/m.exec(first.output())?.[1] ?? "";
    expect(curl).toContain(`Authorization: Bearer ${key}`);
    const body = /-d '(.*)'$/.exec(curl)?.[1] ?? "";
    const sent = await fetch(`${first.url}/v1/events`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body,
    });
    expect(sent.status).toBe(202);
    await stop(first);

    const second = await spawnServer(env);
    expect(second.output()).not.toContain(key);
    expect(second.output()).toMatch(/API key:\s+stored hashed in the database/);
    expect(second.output()).toMatch(/Egress:\s+public addresses only/);
    expect((await fetch(`${second.url}/v1/endpoints`, { headers: { authorization: `Bearer ${key}` } })).status).toBe(200);
    await stop(second);
  });

  it("respects HOOKLINE_EGRESS_ALLOW over --dev-allow-loopback, and 'none' means none", { timeout: 20_000 }, async () => {
    const none = await spawnServer(
      { HOOKLINE_DB: join(dir, "none.db"), HOOKLINE_API_KEY: "cli-test-key-0123456789", HOOKLINE_EGRESS_ALLOW: "none" },
      ["serve", "--dev-allow-loopback"],
    );
    expect(none.output()).toMatch(/Egress:\s+public addresses only/);
    const refused = await fetch(`${none.url}/v1/endpoints`, {
      method: "POST",
      headers: { authorization: "Bearer cli-test-key-0123456789", "content-type": "application/json" },
      body: JSON.stringify({ url: "http://127.0.0.1:9/" }),
    });
    expect(refused.status).toBe(422);
    await stop(none);
    const some = await spawnServer(
      { HOOKLINE_DB: join(dir, "some.db"), HOOKLINE_API_KEY: "cli-test-key-0123456789", HOOKLINE_EGRESS_ALLOW: "10.0.0.0/8" },
      ["serve", "--dev-allow-loopback"],
    );
    expect(some.output()).toMatch(/Egress:\s+public addresses \+ 10\.0\.0\.0\/8/);
    await stop(some);
  });

  it("refuses a bad configuration with every problem named, and exit code 2", () => {
    const result = spawnSync(process.execPath, [BIN, "serve"], {
      env: {
        PATH: process.env["PATH"] ?? "",
        HOOKLINE_DB: join(dir, "bad.db"),
        HOOKLINE_REQUEST_TIMEOUT_MS: "20000",
        HOOKLINE_LEASE_MS: "21000",
        PORT: "http",
      },
      encoding: "utf8",
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("PORT must be a whole number");
    expect(result.stderr).toContain("HOOKLINE_LEASE_MS (21000) must exceed HOOKLINE_REQUEST_TIMEOUT_MS (20000)");
  });

  it("migrates a database and exits", () => {
    const result = spawnSync(process.execPath, [BIN, "migrate"], {
      env: { PATH: process.env["PATH"] ?? "", HOOKLINE_DB: join(dir, "migrated", "m.db") },
      encoding: "utf8",
    });
    expect(result.status).toBe(0);
    expect(result.stdout).toContain("Database ready:");
  });

  it("creates a token that works on the server, and refuses bad options with exit 2", { timeout: 20_000 }, async () => {
    const env = { PATH: process.env["PATH"] ?? "", HOOKLINE_DB: join(dir, "tokens.db") };
    const bad = spawnSync(process.execPath, [BIN, "create-token", "--access", "admin", "--expires-in", "5"], { env, encoding: "utf8" });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain("--access must be read or write");
    expect(bad.stderr).toContain("--expires-in must be a whole number of seconds from 60");
    const made = spawnSync(process.execPath, [BIN, "create-token", "--tenant", "acme", "--access", "write", "--expires-in", "3600"], {
      env,
      encoding: "utf8",
    });
    expect(made.status, made.stderr).toBe(0);
    const token = /\(stored hashed, shown once\): (hlt_[A-Za-z0-9_-]{43})/.exec(made.stdout)?.[1];
    expect(token).toBeDefined();
    const server = await spawnServer({ HOOKLINE_DB: join(dir, "tokens.db") });
    try {
      const me = await fetch(`${server.url}/v1/me`, { headers: { authorization: `Bearer ${token}` } });
      expect(await me.json()).toMatchObject({ kind: "token", tenant: "acme", access: "write" });
    } finally {
      await stop(server);
    }
  });
});
