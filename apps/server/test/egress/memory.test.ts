import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { Egress } from "../../src/egress/index.js";
import { startFaultReceiver, type FaultReceiver } from "../support/fault-receiver.js";

const MB = 1024 * 1024;
/** Buffers live outside the JS heap, so heapUsed alone would miss a buffered body. */
const used = (): number => {
  const { heapUsed, external } = process.memoryUsage();
  return heapUsed + external;
};

describe("response body cap with flat memory", () => {
  let rx: FaultReceiver;
  let egress: Egress;

  beforeEach(async () => {
    rx = await startFaultReceiver();
    egress = new Egress({ allow: ["127.0.0.1/32"], httpsOnly: false });
  });
  afterEach(async () => {
    await egress.close();
    await rx.close();
  });

  const attemptHuge = (maxResponseBytes: number) =>
    egress.attempt({ url: `${rx.url}/huge`, headers: {}, body: "{}", timeoutMs: 10_000, maxResponseBytes });

  it("a 50 MB body is capped at maxResponseBytes, heap and buffers stay flat, and the receiver is hung up on", async () => {
    rx.script("/huge", [{ hugeBody: { bytes: 50 * MB } }]);
    const before = used();
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, used())), 1);
    const outcome = await attemptHuge(64 * 1024);
    peak = Math.max(peak, used());
    clearInterval(sampler);

    expect(outcome).toMatchObject({ kind: "response", statusCode: 200 });
    expect(outcome.kind === "response" && outcome.responseBody.length).toBe(64 * 1024);
    expect(peak - before).toBeLessThan(20 * MB);
    // The receiver streams with backpressure: it only finishes early because we closed the connection.
    await vi.waitFor(() => expect(rx.inFlight("/huge")).toBe(0), { timeout: 2000 });
  });

  it("five concurrent 50 MB bodies still leave heap and buffers flat", async () => {
    rx.script("/huge", [{ hugeBody: { bytes: 50 * MB } }]);
    const before = used();
    const outcomes = await Promise.all(Array.from({ length: 5 }, () => attemptHuge(1 * MB)));
    const after = used();
    for (const outcome of outcomes) expect(outcome.kind === "response" && outcome.responseBody.length).toBe(1 * MB);
    expect(after - before).toBeLessThan(20 * MB);
    await vi.waitFor(() => expect(rx.inFlight("/huge")).toBe(0), { timeout: 2000 });
  });
});
