/**
 * The command line's conventions: `--help` of every command carries an example and is snapshotted
 * (so changes are deliberate), `--version`, and the one-line errors with their exit codes for a
 * missing key, an unreachable server and a refused key (over real loopback HTTP).
 */

import http from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { useColour } from "../src/commands/output.js";
import { main } from "../src/index.js";
import { REAL_CATALOG } from "./support/catalog.js";
import { runCli } from "./support/run-cli.js";

const COMMANDS = [
  [],
  ["validate"],
  ["generate"],
  ["pack"],
  ["check"],
  ["trigger"],
  ["fixtures"],
  ["listen"],
  ["endpoints"],
  ["endpoints", "list"],
  ["endpoints", "create"],
  ["endpoints", "update"],
  ["endpoints", "disable"],
  ["endpoints", "enable"],
  ["endpoints", "rotate"],
  ["endpoints", "delete"],
  ["events"],
  ["events", "list"],
  ["events", "get"],
  ["deliveries"],
  ["deliveries", "list"],
  ["replay"],
  ["recover"],
];

describe("hookline --help", () => {
  it.each(COMMANDS.map((c) => [c.join(" ") || "(program)", c]))("%s: exits 0 and shows an example", async (_name, command) => {
    const { code, out, err } = await runCli(...(command as string[]), "--help");
    expect({ code, err }).toEqual({ code: 0, err: "" });
    expect(out).toMatch(/\nExamples?( \(.*\))?:\n {2}\$ hookline /);
    expect(out).toMatchSnapshot();
  });

  it("--version prints the package version", async () => {
    const { version } = (await import("../package.json", { with: { type: "json" } })).default;
    expect(await runCli("--version")).toEqual({ code: 0, out: `${version}\n`, err: "" });
  });
});

describe("colour", () => {
  it("only on a terminal, never with NO_COLOR", () => {
    expect(useColour({ isTTY: true }, {})).toBe(true);
    expect(useColour({ isTTY: true }, { NO_COLOR: "1" })).toBe(false);
    expect(useColour({ isTTY: false }, {})).toBe(false);
    expect(useColour({}, {})).toBe(false);
  });

  it("tables use it when asked and are plain text otherwise", async () => {
    const print = async (color: boolean) => {
      let out = "";
      await main(["node", "hookline", "fixtures", "--catalog", REAL_CATALOG], {
        out: (s) => {
          out += s;
        },
        err: () => undefined,
        color,
      });
      return out;
    };
    expect(await print(true)).toContain("\u001b[1mTYPE");
    expect(await print(false)).not.toContain("\u001b[");
  });
});

describe("server errors are one line with the fix", () => {
  it("no API key: exit 2, names HOOKLINE_API_KEY", async () => {
    const saved = process.env.HOOKLINE_API_KEY;
    delete process.env.HOOKLINE_API_KEY;
    try {
      const { code, err } = await runCli("endpoints", "list", "--url", "http://127.0.0.1:9");
      expect(code).toBe(2);
      expect(err).toMatch(/^hookline: No API key: set HOOKLINE_API_KEY .* or pass --api-key\.\n$/);
    } finally {
      if (saved !== undefined) process.env.HOOKLINE_API_KEY = saved;
    }
  });

  it("unreachable server: exit 3, names the URL, never the key", async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const { code, err } = await runCli("events", "list", "--url", `http://127.0.0.1:${port}`, "--api-key", "secret-key-123");
    expect(code).toBe(3);
    expect(err).toBe(
      `hookline: Cannot reach the Hookline server at http://127.0.0.1:${port} (connection failed): start it (npm start) or set HOOKLINE_URL / --url to where it runs.\n`,
    );
  });

  it("refused key: exit 4, says how to get the right one, never prints it", async () => {
    const server = http.createServer((_req, res) => {
      res.writeHead(401, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: { code: "unauthorized", message: "Missing or invalid API key." } }));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const { code, err } = await runCli(
        "deliveries",
        "list",
        "--status",
        "failed",
        "--url",
        `http://127.0.0.1:${port}`,
        "--api-key",
        "secret-key-123",
      );
      expect(code).toBe(4);
      expect(err).toContain("refused the API key (HTTP 401): set HOOKLINE_API_KEY");
      expect(err).not.toContain("secret-key-123");
      expect(err.trimEnd().split("\n")).toHaveLength(1);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it("a bad --since is bad input (exit 2) with an example of a good one", async () => {
    const { code, err } = await runCli("recover", "ep_1", "--since", "yesterday", "--api-key", "k");
    expect(code).toBe(2);
    expect(err).toContain("write a duration such as 30m, 2h or 7d");
  });
});
