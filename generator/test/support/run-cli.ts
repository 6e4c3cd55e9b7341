/** Runs `main(argv, io)` in process and collects what it printed. */

import http from "node:http";
import type { AddressInfo } from "node:net";
import { main } from "../../src/index.js";

export interface CliRun {
  code: number;
  out: string;
  err: string;
}

export async function runCli(...args: string[]): Promise<CliRun> {
  return runCliOn({}, ...args);
}

/** `runCli` as if on a terminal: `tty` (stdout) and `progress` (stderr) as the Io says. */
export async function runCliOn(terminal: { tty?: boolean; progress?: boolean }, ...args: string[]): Promise<CliRun> {
  let out = "";
  let err = "";
  const code = await main(["node", "hookline", ...args], {
    out: (s) => {
      out += s;
    },
    err: (s) => {
      err += s;
    },
    ...terminal,
  });
  return { code, out, err };
}

/** A loopback HTTP server that counts requests and answers 500: proof that nothing was (or was) sent. */
export async function countingServer(): Promise<{ url: string; requests: () => number; close: () => Promise<void> }> {
  let requests = 0;
  const server = http.createServer((_request, response) => {
    requests++;
    response.writeHead(500).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests: () => requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A loopback stand-in that records each request body and answers like the server's ingest (202). */
export async function recordingServer(): Promise<{ url: string; bodies: unknown[]; close: () => Promise<void> }> {
  const bodies: unknown[] = [];
  const server = http.createServer((request, response) => {
    let text = "";
    request.on("data", (chunk: Buffer) => {
      text += chunk.toString("utf8");
    });
    request.on("end", () => {
      const body = JSON.parse(text) as { id: string; type: string };
      bodies.push(body);
      response.writeHead(202, { "content-type": "application/json" });
      response.end(JSON.stringify({ id: body.id, type: body.type, tenant: null, createdAt: new Date(0).toISOString(), deliveries: 0 }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, bodies, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
