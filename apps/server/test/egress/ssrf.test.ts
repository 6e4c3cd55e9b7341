/**
 * SSRF at attempt time: the address each socket connects to is checked. No test here ever reaches a
 * non-loopback address: blocked destinations come from an injected resolver and are refused before
 * any connect, and `guardLoopbackOnly` would turn any escape into a failure instead of a packet.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { BlockedDestinationError, createCheckedConnector } from "../../src/egress/connector.js";
import { Egress, type AttemptOutcome, type EgressPolicy } from "../../src/egress/index.js";
import { startFaultReceiver, type FaultReceiver } from "../support/fault-receiver.js";
import { fakeLookup, guardLoopbackOnly, type ConnectLog } from "./helpers.js";

const denyAll: EgressPolicy = { allow: [], httpsOnly: false };
const loopbackOnly: EgressPolicy = { allow: ["127.0.0.1/32"], httpsOnly: false };

describe("Egress.attempt SSRF defence", () => {
  let rx: FaultReceiver;
  let log: ConnectLog;
  const egresses: Egress[] = [];
  const egress = (policy: EgressPolicy, options: ConstructorParameters<typeof Egress>[1] = {}): Egress => {
    const e = new Egress(policy, options);
    egresses.push(e);
    return e;
  };
  const port = (): string => new URL(rx.url).port;
  const send = (e: Egress, url: string): Promise<AttemptOutcome> =>
    e.attempt({ url, headers: { "content-type": "application/json" }, body: "{}", timeoutMs: 2000, maxResponseBytes: 100 });
  const expectBlocked = (outcome: AttemptOutcome, reason: RegExp): void => {
    expect(outcome).toMatchObject({ kind: "error", code: "blocked_destination" });
    expect(outcome.kind === "error" && outcome.message).toMatch(reason);
  };
  const expectNothingReached = (): void => {
    expect(rx.requests).toHaveLength(0);
    expect(rx.connectionCount()).toBe(0);
    expect(log.connected).toEqual([]);
  };

  beforeEach(async () => {
    log = guardLoopbackOnly();
    rx = await startFaultReceiver();
  });
  afterEach(async () => {
    await Promise.all(egresses.splice(0).map((e) => e.close()));
    await rx.close();
    expect(log.refused).toEqual([]);
    vi.restoreAllMocks();
  });

  describe("IP literals (a custom lookup is never called for them)", () => {
    it.each([
      ["127.0.0.1", () => `http://127.0.0.1:${port()}/`],
      ["shortened 127.1", () => `http://127.1:${port()}/`],
      ["decimal 2130706433", () => `http://2130706433:${port()}/`],
      ["hex 0x7f.1", () => `http://0x7f.1:${port()}/`],
      ["IPv4-mapped [::ffff:127.0.0.1]", () => `http://[::ffff:127.0.0.1]:${port()}/`],
    ])("%s is refused without an allow-list, before net.connect is called", async (_name, url) => {
      const lookup = fakeLookup(["127.0.0.1"]);
      expectBlocked(await send(egress(denyAll, { lookup: lookup.lookup }), url()), /loopback/);
      expect(log.calls).toEqual([]);
      expect(lookup.calls).toEqual([]);
      expectNothingReached();
    });

    it.each([
      ["metadata 169.254.169.254", "http://169.254.169.254/latest/meta-data/", /metadata/],
      ["private 10.0.0.1", "http://10.0.0.1/", /private/],
      ["IPv6 metadata [fd00:ec2::254]", "http://[fd00:ec2::254]/", /metadata/],
    ])("%s is refused even with loopback allowed, and never dialled", async (_name, url, reason) => {
      expectBlocked(await send(egress(loopbackOnly), url), reason);
      expect(log.calls).toEqual([]);
    });

    it("127.0.0.1 is delivered with allow 127.0.0.1/32, also spelled 127.1", async () => {
      const e = egress(loopbackOnly);
      expect(await send(e, `http://127.1:${port()}/a`)).toMatchObject({ kind: "response", statusCode: 200 });
      expect(await send(e, `http://127.0.0.1:${port()}/b`)).toMatchObject({ kind: "response", statusCode: 200 });
      expect(rx.requests.map((r) => r.path)).toEqual(["/a", "/b"]);
    });

    it.each([
      ["127.0.0.1", "127.0.0.1"],
      ["bracketed IPv6 [::1]", "[::1]"],
      ["IPv4-mapped ::ffff:7f00:1", "::ffff:7f00:1"],
    ])("the connector itself refuses literal %s (defence beyond the URL pre-check)", async (_name, hostname) => {
      const connect = createCheckedConnector(denyAll);
      const error = await new Promise<Error | null>((resolve) =>
        connect({ hostname, protocol: "http:", port: port() }, (...[err]) => resolve(err)),
      );
      expect(error).toBeInstanceOf(BlockedDestinationError);
      expect(error?.message).toMatch(/loopback/);
      expect(log.calls).toEqual([]);
      expectNothingReached();
    });
  });

  describe("hostnames (resolved once per connection, checked, then connected to)", () => {
    it("localhost is refused without an allow-list", async () => {
      expectBlocked(
        await send(egress(denyAll), `http://localhost:${port()}/`),
        /localhost resolves only to refused addresses: 127\.0\.0\.1 \(loopback\)/,
      );
      expectNothingReached();
    });

    it("localhost is delivered with allow 127.0.0.1/32", async () => {
      expect(await send(egress(loopbackOnly), `http://localhost:${port()}/hook`)).toMatchObject({ kind: "response", statusCode: 200 });
      expect(rx.requests[0]?.headers.host).toBe(`localhost:${port()}`);
    });

    it.each([
      ["private 10.0.0.1, loopback allowed", loopbackOnly, ["10.0.0.1"], /10\.0\.0\.1 \(private\)/],
      ["metadata 169.254.169.254, loopback allowed", loopbackOnly, ["169.254.169.254"], /\(metadata\)/],
      ["IPv4-mapped loopback ::ffff:127.0.0.1", denyAll, ["::ffff:127.0.0.1"], /\(ipv4Mapped\(loopback\)\)/],
      ["NAT64 loopback 64:ff9b::7f00:1, loopback allowed", loopbackOnly, ["64:ff9b::7f00:1"], /\(nat64\(loopback\)\)/],
      ["CGNAT 100.64.0.1, loopback allowed", loopbackOnly, ["100.64.0.1"], /\(carrierGradeNat\)/],
      [
        "several records, all refused",
        loopbackOnly,
        ["10.0.0.1", "192.168.0.1", "fd00::1"],
        /resolves only to refused addresses: 10\.0\.0\.1 \(private\), 192\.168\.0\.1 \(private\), fd00::1 \(uniqueLocal\)$/,
      ],
    ])("a name resolving to %s is blocked_destination and nothing is sent", async (_name, policy, addresses, reason) => {
      const lookup = fakeLookup(addresses);
      expectBlocked(await send(egress(policy, { lookup: lookup.lookup }), `http://hooks.test:${port()}/`), reason);
      expect(lookup.calls).toEqual(["hooks.test"]);
      expectNothingReached();
    });

    it("with loopback allowed, a metadata record mixed in is dropped and only the checked address is dialled", async () => {
      const lookup = fakeLookup(["169.254.169.254", "127.0.0.1"]);
      expect(await send(egress(loopbackOnly, { lookup: lookup.lookup }), `http://mixed.test:${port()}/`)).toMatchObject({
        statusCode: 200,
      });
      expect(log.connected).toEqual(["127.0.0.1"]);
    });

    it("an unresolvable name is dns_failure", async () => {
      const lookup = fakeLookup([]);
      expect(await send(egress(loopbackOnly, { lookup: lookup.lookup }), "http://nowhere.test/")).toMatchObject({
        kind: "error",
        code: "dns_failure",
        message: "could not resolve the host of nowhere.test:80 (ENOTFOUND)",
      });
    });

    it("DNS rebinding: one resolution per attempt, and the checked address is the one connected to", async () => {
      // 127.0.0.1 on the first question, the metadata address on any later one.
      const lookup = fakeLookup((n) => (n === 0 ? ["127.0.0.1"] : ["169.254.169.254"]));
      const first = egress(loopbackOnly, { lookup: lookup.lookup });
      expect(await send(first, `http://rebind.test:${port()}/`)).toMatchObject({ kind: "response", statusCode: 200 });
      expect(lookup.calls).toEqual(["rebind.test"]);
      expect(log.connected).toEqual(["127.0.0.1"]);

      // A new connection (fresh pool) asks again, gets the rebound answer, and is refused.
      const second = egress(loopbackOnly, { lookup: lookup.lookup });
      expectBlocked(await send(second, `http://rebind.test:${port()}/`), /metadata/);
      expect(lookup.calls).toEqual(["rebind.test", "rebind.test"]);
      expect(rx.requests).toHaveLength(1);
    });

    it("a keep-alive connection is reused without resolving again", async () => {
      const lookup = fakeLookup(["127.0.0.1"]);
      const e = egress(loopbackOnly, { lookup: lookup.lookup });
      for (let i = 0; i < 3; i++) {
        await send(e, `http://pooled.test:${port()}/`);
        await new Promise((resolve) => setImmediate(resolve));
      }
      expect(lookup.calls).toEqual(["pooled.test"]);
      expect(rx.connectionCount()).toBe(1);
    });
  });

  it("a blocked attempt echoes no remote body and carries no status", async () => {
    const outcome = await send(egress(denyAll), `http://127.0.0.1:${port()}/`);
    expect(outcome).toEqual({
      kind: "error",
      code: "blocked_destination",
      message: expect.any(String) as unknown,
      durationMs: expect.any(Number) as unknown,
    });
  });
});
