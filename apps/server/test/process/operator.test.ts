import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { assertBuilt, BIN, spawnServer } from "../support/process.js";

/** What an operator sees: one line for a busy port, JSON-only stdout when piped, pretty logs on request. */
describe("hookline-server output for operators", () => {
  let dir: string;
  beforeAll(() => {
    assertBuilt();
    dir = mkdtempSync(join(tmpdir(), "hookline-ops-"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const env = (name: string, extra: Record<string, string> = {}): Record<string, string> => ({
    HOOKLINE_DB: join(dir, `${name}.db`),
    HOOKLINE_API_KEY: "ops-test-key-0123456789",
    HOOKLINE_LOG_LEVEL: "info",
    ...extra,
  });

  it("a busy port is one line naming host:port and PORT/HOST, exit 1, no stack trace", async () => {
    const holder: Server = createServer();
    await new Promise<void>((resolve) => holder.listen(0, "127.0.0.1", resolve));
    const port = (holder.address() as { port: number }).port;
    try {
      const result = spawnSync(process.execPath, [BIN, "serve"], {
        env: { PATH: process.env["PATH"] ?? "", ...env("busy"), PORT: String(port), HOST: "127.0.0.1" },
        encoding: "utf8",
      });
      expect(result.status).toBe(1);
      const lines = result.stderr.trim().split("\n");
      expect(lines).toEqual([
        expect.stringMatching(new RegExp(`^hookline-server: cannot listen on 127\\.0\\.0\\.1:${port}: the address is already in use`)),
      ]);
      expect(lines[0]).toContain("PORT");
      expect(lines[0]).toContain("HOST");
      expect(result.stderr).not.toMatch(/EADDRINUSE|\n\s+at /);
    } finally {
      holder.close();
    }
  });

  it("piped stdout carries only JSON log lines; the banner is on stderr", { timeout: 20_000 }, async () => {
    const server = await spawnServer(env("json"));
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    server.child.kill("SIGINT");
    expect(await server.exited).toBe(0);
    const lines = server
      .stdout()
      .split("\n")
      .filter((line) => line !== "");
    const records = lines.map((line) => JSON.parse(line) as { msg?: string });
    expect(records.map((r) => r.msg)).toEqual(expect.arrayContaining(["hookline server started", "hookline server stopped"]));
    expect(server.stderr()).toMatch(/^Hookline server \S+ listening on http:\/\/127\.0\.0\.1:\d+$/m);
    expect(server.stderr()).toMatch(/^ {2}Try: {6}curl /m);
    expect(server.stdout()).not.toContain("listening on");
  });

  it("HOOKLINE_LOG_FORMAT=pretty writes human lines (json forces JSON lines)", { timeout: 20_000 }, async () => {
    const pretty = await spawnServer(env("pretty", { HOOKLINE_LOG_FORMAT: "pretty" }));
    pretty.child.kill("SIGINT");
    expect(await pretty.exited).toBe(0);
    const lines = pretty
      .stdout()
      .split("\n")
      .filter((line) => line !== "");
    const started = lines.find((line) => line.includes("hookline server started"));
    expect(started).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] INFO.*: hookline server started/);
    // Continuation lines of a record's fields may be bare values ("2"), but no line is a JSON record.
    expect(lines.filter((line) => line.startsWith("{"))).toEqual([]);

    const json = await spawnServer(env("forced", { HOOKLINE_LOG_FORMAT: "json" }));
    json.child.kill("SIGINT");
    expect(await json.exited).toBe(0);
    const records = json
      .stdout()
      .split("\n")
      .filter((l) => l !== "")
      .map((line) => JSON.parse(line) as { msg?: string });
    expect(records.map((r) => r.msg)).toContain("hookline server started");
  });
});
