/**
 * Test-only helpers for egress tests.
 *
 * `guardLoopbackOnly` spies on net.connect and tls.connect (what undici's connector calls) so that
 * a test can never open a socket to a non-loopback address, even if the code under test were wrong:
 * a non-loopback IP literal throws before connecting and a lookup answer with a non-loopback address
 * is replaced by an error. It also records what was attempted, so tests can assert "never connected".
 */
import type dns from "node:dns";
import net from "node:net";
import tls from "node:tls";
import { vi } from "vitest";

export interface ConnectLog {
  /** Hosts net.connect / tls.connect were called with (a call still resolves before connecting). */
  readonly calls: string[];
  /** Remote addresses sockets actually connected to. */
  readonly connected: string[];
  /** Addresses the guard refused (non-empty means the code under test tried to leave loopback). */
  readonly refused: string[];
}

export function isLoopback(ip: string): boolean {
  const v4 = ip.startsWith("::ffff:") ? ip.slice("::ffff:".length) : ip;
  return v4.startsWith("127.") || ip === "::1";
}

export function guardLoopbackOnly(): ConnectLog {
  const log: ConnectLog = { calls: [], connected: [], refused: [] };
  const guard = <F extends (...args: never[]) => net.Socket>(original: F): F =>
    function (this: unknown, ...args: Parameters<F>) {
      const [options] = args as unknown[];
      if (options === null || typeof options !== "object") throw new Error("loopback guard: unexpected connect() form");
      const opts = options as { host?: string; lookup?: net.LookupFunction };
      const host = opts.host ?? "localhost";
      log.calls.push(host);
      if (net.isIP(host) !== 0 && !isLoopback(host)) {
        log.refused.push(host);
        throw new Error(`loopback guard: refused connect to ${host}`);
      }
      if (opts.lookup !== undefined) opts.lookup = guardedLookup(opts.lookup, log);
      const socket = original.apply(this, args);
      socket.once("connect", () => log.connected.push(socket.remoteAddress ?? "?"));
      return socket;
    } as F;
  const [netConnect, tlsConnect] = [net.connect, tls.connect];
  vi.spyOn(net, "connect").mockImplementation(guard(netConnect));
  vi.spyOn(tls, "connect").mockImplementation(guard(tlsConnect));
  return log;
}

function guardedLookup(lookup: net.LookupFunction, log: ConnectLog): net.LookupFunction {
  return (hostname, options, callback) =>
    lookup(hostname, options, (error, address, family) => {
      const addresses = typeof address === "string" ? [address] : address.map((a) => a.address);
      const outside = addresses.filter((a) => a !== "" && !isLoopback(a));
      if (error === null && outside.length > 0) {
        log.refused.push(...outside);
        callback(new Error(`loopback guard: lookup answered ${outside.join(", ")}`), "", 0);
        return;
      }
      callback(error, address, family);
    });
}

export interface FakeLookup {
  readonly lookup: typeof dns.lookup;
  /** Hostnames asked for, one entry per call. */
  readonly calls: string[];
}

/** A resolver that answers from a script: `answers(n)` gives the addresses for the n-th call (0-based). */
export function fakeLookup(answers: string[] | ((n: number) => string[])): FakeLookup {
  const calls: string[] = [];
  const impl = (
    hostname: string,
    options: dns.LookupOptions,
    callback: (err: NodeJS.ErrnoException | null, address: string | dns.LookupAddress[], family?: number) => void,
  ): void => {
    const n = calls.push(hostname) - 1;
    const list = (typeof answers === "function" ? answers(n) : answers).map((address) => ({ address, family: net.isIP(address) }));
    setImmediate(() => {
      const [first] = list;
      if (first === undefined) callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: "ENOTFOUND" }), "");
      else if (options.all === true) callback(null, list);
      else callback(null, first.address, first.family);
    });
  };
  return { lookup: impl as unknown as typeof dns.lookup, calls };
}

/** A loopback port with nothing listening on it. */
export async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
