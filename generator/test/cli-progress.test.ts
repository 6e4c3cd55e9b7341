/**
 * Progress of long runs (`hookline generate`, `trigger --all`): one line on stderr, rewritten in
 * place, only when stderr is a terminal; never when it is piped, and NO_COLOR (colour only) does not
 * turn it off. The result lines on stdout are the same either way.
 */

import { writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { useColour, useProgress } from "../src/commands/output.js";
import { FIXTURES, REAL_CATALOG, readTree, removeTempDirs, tempDir, writeCatalog } from "./support/catalog.js";
import { recordingServer, runCliOn } from "./support/run-cli.js";

afterAll(removeTempDirs);

const ERASE = "\r\u001b[2K";

async function project(): Promise<string> {
  const dir = await tempDir();
  await writeCatalog(await readTree(path.join(FIXTURES, "minimal", "catalog")), path.join(dir, "catalog"));
  const config = path.join(dir, "hookline.config.json");
  const outputs = [
    { target: "sender", outDir: "out/sender" },
    { target: "receiver", outDir: "out/receiver" },
  ];
  await writeFile(config, JSON.stringify({ catalog: "./catalog", outputs }));
  return config;
}

describe("hookline generate progress", () => {
  it("draws each phase, with counts, on a terminal's stderr and erases the line at the end", async () => {
    const config = await project();
    const { code, out, err } = await runCliOn({ progress: true }, "generate", "--config", config);
    expect(code, err).toBe(0);
    expect(err.split(ERASE).filter((s) => s !== "")).toEqual([
      "loading the catalog ./catalog",
      "checking the converters of 1 event schemas",
      "rendering sender (1/2) from 1 event schemas",
      "writing sender (1/2): 5 files",
      "rendering receiver (2/2) from 1 event schemas",
      "writing receiver (2/2): 5 files",
    ]);
    expect(err.endsWith(ERASE)).toBe(true);
    expect(out).toMatch(/^sender → .*: 5 written, 0 unchanged, 0 removed$/m);
  });

  it("prints nothing on stderr when it is piped, even with stdout on a terminal", async () => {
    const config = await project();
    const piped = await runCliOn({ tty: true, progress: false }, "generate", "--config", config);
    expect({ code: piped.code, err: piped.err }).toEqual({ code: 0, err: "" });
    expect(piped.out).toMatch(/^generated from 1 event schemas in \d+ ms$/m);
  });

  it("erases the line before an error is printed", async () => {
    const config = await project();
    await writeFile(path.join(path.dirname(config), "catalog", "events", "broken.json"), "{");
    const { code, err } = await runCliOn({ progress: true }, "generate", "--config", config);
    expect(code).toBe(1);
    expect(err.startsWith(`${ERASE}loading the catalog ./catalog${ERASE}`)).toBe(true);
    expect(err.slice(err.lastIndexOf(ERASE) + ERASE.length)).toContain("broken.json");
  });

  it("is decided by stderr being a terminal; NO_COLOR turns colour off, not progress", () => {
    expect(useProgress({ isTTY: true })).toBe(true);
    expect(useProgress({ isTTY: false })).toBe(false);
    expect(useProgress({})).toBe(false);
    expect(useColour({ isTTY: true }, { NO_COLOR: "1" })).toBe(false);
  });
});

describe("hookline trigger --all progress", () => {
  it("counts the events sent on a terminal's stderr, nothing when piped", async () => {
    const server = await recordingServer();
    try {
      const args = ["trigger", "--all", "--catalog", REAL_CATALOG, "--url", server.url, "--api-key", "k"];
      const shown = await runCliOn({ progress: true }, ...args);
      expect(shown.code, shown.err).toBe(0);
      const lines = shown.err.split(ERASE).filter((s) => s !== "");
      expect(lines[0]).toMatch(/^\[1\/(\d+)\] \S+$/);
      const total = Number(/^\[1\/(\d+)\]/.exec(lines[0] ?? "")?.[1]);
      expect(lines).toHaveLength(total);
      expect(lines.at(-1)).toMatch(new RegExp(`^\\[${total}/${total}\\] `));
      const piped = await runCliOn({ tty: true, progress: false }, ...args);
      expect({ code: piped.code, err: piped.err }).toEqual({ code: 0, err: "" });
      const withoutIds = (s: string) => s.replace(/evt_\w+/g, "evt_…");
      expect(withoutIds(piped.out)).toBe(withoutIds(shown.out));
    } finally {
      await server.close();
    }
  });
});
