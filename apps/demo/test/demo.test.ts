/** `npm start`'s loop: one event per domain delivered and verified, a tampered request refused, an invalid payload caught. */

import { expect, it } from "vitest";
import { DEMO_EVENTS, runDemo } from "../src/demo.js";

it("delivers one event per domain and refuses tampering and invalid payloads", async () => {
  const lines: string[] = [];
  const result = await runDemo((line) => lines.push(line));
  expect(result.delivered).toEqual(DEMO_EVENTS.map((type) => ({ type, status: 200 })));
  expect(result.tamperedStatus).toBe(401);
  expect(result.invalidPayloadPaths).toContain("/orderId");
  expect(lines.filter((line) => line.includes("receiver ✓"))).toHaveLength(DEMO_EVENTS.length);
});
