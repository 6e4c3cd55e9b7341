import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFaultReceiver, type FaultReceiver, type ReceivedRequest } from "../support/fault-receiver.js";
import { example, header, startServer, type TestServer } from "../support/server.js";

const verifies = (secret: string, req: ReceivedRequest): boolean => {
  try {
    new Webhook(secret).verify(req.body, {
      "webhook-id": header(req, "webhook-id"),
      "webhook-timestamp": header(req, "webhook-timestamp"),
      "webhook-signature": header(req, "webhook-signature"),
    });
    return true;
  } catch {
    return false;
  }
};

describe("secret rotation", () => {
  let server: TestServer;
  let receiver: FaultReceiver;
  let offset = 0;

  beforeAll(async () => {
    receiver = await startFaultReceiver();
    server = await startServer({ deps: { now: () => Date.now() + offset } });
  });
  afterAll(async () => {
    await server.close();
    await receiver.close();
  });

  it("signs with old and new secrets during the grace period, then with the new one only", async () => {
    const oldSecret = `whsec_${Buffer.alloc(32, 1).toString("base64")}`;
    const created = await server.api("POST", "/v1/endpoints", {
      url: `${receiver.url}/rotate`,
      secret: oldSecret,
      eventTypes: ["order.shipped"],
    });
    expect(created.body.secret).toBe(oldSecret);
    const ep = created.body.id as string;
    const deliveries = (): ReceivedRequest[] => receiver.requests.filter((r) => r.path === "/rotate");
    const sendAndWait = async (): Promise<ReceivedRequest> => {
      const n = deliveries().length;
      await server.api("POST", "/v1/events", { type: "order.shipped", payload: example("order.shipped") });
      await receiver.waitFor(() => deliveries().length > n);
      return deliveries()[n]!;
    };

    const before = await sendAndWait();
    expect(header(before, "webhook-signature").split(" ")).toHaveLength(1);
    expect(verifies(oldSecret, before)).toBe(true);

    const rotated = await server.api("POST", `/v1/endpoints/${ep}/rotate-secret`, { gracePeriodSeconds: 3600 });
    expect(rotated.status).toBe(200);
    const newSecret = rotated.body.secret as string;
    expect(newSecret).toMatch(/^whsec_/);
    expect(newSecret).not.toBe(oldSecret);
    expect((await server.api("GET", `/v1/endpoints/${ep}/secret`)).body).toEqual({ secret: newSecret });

    const during = await sendAndWait();
    expect(header(during, "webhook-signature").split(" ")).toHaveLength(2);
    expect(verifies(oldSecret, during)).toBe(true);
    expect(verifies(newSecret, during)).toBe(true);

    offset += 3601_000;
    const after = await sendAndWait();
    expect(header(after, "webhook-signature").split(" ")).toHaveLength(1);
    // 1 h ahead of real time: the official library would refuse it as "too new"; check the entry instead.
    const expected = new Webhook(newSecret).sign(
      header(after, "webhook-id"),
      new Date(Number(header(after, "webhook-timestamp")) * 1000),
      after.body.toString("utf8"),
    );
    expect(header(after, "webhook-signature")).toBe(expected);
    const oldWould = new Webhook(oldSecret).sign(
      header(after, "webhook-id"),
      new Date(Number(header(after, "webhook-timestamp")) * 1000),
      after.body.toString("utf8"),
    );
    expect(header(after, "webhook-signature")).not.toContain(oldWould.slice(3));
    // A fresh timestamp per attempt: an hour later, a later webhook-timestamp.
    expect(Number(header(after, "webhook-timestamp")) - Number(header(during, "webhook-timestamp"))).toBeGreaterThanOrEqual(3600);
    offset = 0;
  });

  it("refuses a rotation that would drop a previous secret still valid, until one expires or the caller says so", async () => {
    const ep = (await server.api("POST", "/v1/endpoints", { url: `${receiver.url}/rotate-many`, eventTypes: ["order.created"] })).body
      .id as string;
    const secretNo = (n: number): string => `whsec_${Buffer.alloc(32, 100 + n).toString("base64")}`;
    await server.api("PATCH", `/v1/endpoints/${ep}`, { secret: secretNo(0) });
    const rotate = (body: Record<string, unknown>) => server.api("POST", `/v1/endpoints/${ep}/rotate-secret`, body);
    // Ten rotations a second apart, each keeping the outgoing secret for an hour: ten previous secrets, all valid.
    for (let n = 1; n <= 10; n++) {
      offset += 1000;
      expect((await rotate({ secret: secretNo(n), gracePeriodSeconds: 3600 })).status, `rotation ${n}`).toBe(200);
    }
    const deliveries = (): ReceivedRequest[] => receiver.requests.filter((r) => r.path === "/rotate-many");
    const sendAndWait = async (): Promise<ReceivedRequest> => {
      const n = deliveries().length;
      await server.api("POST", "/v1/events", { type: "order.created", payload: example("order.created") });
      await receiver.waitFor(() => deliveries().length > n);
      return deliveries()[n]!;
    };

    offset += 1000;
    const refused = await rotate({ secret: secretNo(11), gracePeriodSeconds: 3600 });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe("too_many_secrets");
    expect(refused.body.error.message).toMatch(/already has 10 previous secrets/);
    expect(refused.body.error.message).toMatch(/expireOldest/);
    expect(refused.body.error.details).toMatchObject({ validSecrets: 10, limit: 10 });
    expect(refused.body.error.details.validUntil).toHaveLength(10);
    expect(refused.body.error.message).toContain(refused.body.error.details.retryAfter);
    expect(refused.text).not.toContain(secretNo(11).slice(6));
    // Nothing changed: the current secret and all ten previous ones still sign.
    expect((await server.api("GET", `/v1/endpoints/${ep}/secret`)).body).toEqual({ secret: secretNo(10) });
    const full = await sendAndWait();
    expect(header(full, "webhook-signature").split(" ")).toHaveLength(11);
    expect(verifies(secretNo(0), full)).toBe(true);

    // Asked for explicitly: the secret closest to its end (the oldest here) goes, and the answer says so.
    const forced = await rotate({ secret: secretNo(11), gracePeriodSeconds: 3600, expireOldest: true });
    expect(forced.status).toBe(200);
    expect(forced.body).toEqual({ secret: secretNo(11), expiredSecrets: 1 });
    const after = await sendAndWait();
    expect(header(after, "webhook-signature").split(" ")).toHaveLength(11);
    expect(verifies(secretNo(0), after)).toBe(false);
    expect(verifies(secretNo(1), after)).toBe(true);
    expect(verifies(secretNo(11), after)).toBe(true);

    // Without a grace period nothing needs room; once the grace periods are over, rotation is free again.
    expect((await rotate({ secret: secretNo(12), gracePeriodSeconds: 0 })).status).toBe(200);
    offset += 3601_000;
    expect((await rotate({ secret: secretNo(13) })).status).toBe(200);
    offset = 0;
  });

  it("accepts a chosen secret, refuses malformed ones, and can drop the old secret at once", async () => {
    const ep = (await server.api("POST", "/v1/endpoints", { url: `${receiver.url}/rotate-2`, eventTypes: ["order.delivered"] })).body
      .id as string;
    for (const secret of ["whsec_short", `whsec_${Buffer.alloc(80, 1).toString("base64")}`, "whsec_not base64!"]) {
      const res = await server.api("POST", `/v1/endpoints/${ep}/rotate-secret`, { secret });
      expect([400, 422], secret).toContain(res.status);
      expect(JSON.stringify(res.body)).not.toContain(Buffer.alloc(80, 1).toString("base64"));
    }
    const chosen = `whsec_${Buffer.alloc(24, 9).toString("base64")}`;
    const res = await server.api("POST", `/v1/endpoints/${ep}/rotate-secret`, { secret: chosen, gracePeriodSeconds: 0 });
    expect(res.body).toEqual({ secret: chosen });
    await server.api("POST", "/v1/events", { type: "order.delivered", payload: example("order.delivered") });
    await receiver.waitFor((reqs) => reqs.some((r) => r.path === "/rotate-2"));
    const req = receiver.requests.find((r) => r.path === "/rotate-2")!;
    expect(header(req, "webhook-signature").split(" ")).toHaveLength(1);
    expect(verifies(chosen, req)).toBe(true);
  });
});
