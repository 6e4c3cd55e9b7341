import { describe, expect, it } from "vitest";
import { startFaultReceiver } from "../support/fault-receiver.js";
import { API_KEY, example, header, startServer, waitUntil } from "../support/server.js";

describe("secrets stay out of logs, metrics and error bodies", () => {
  it("runs an end-to-end scenario with logs at trace and finds no secret, key, signature or URL credential", {
    timeout: 15_000,
  }, async () => {
    const receiver = await startFaultReceiver();
    const server = await startServer({ captureLogs: "trace", config: { retrySchedule: [10, 10] } });
    const bodies: string[] = [];
    try {
      receiver.script("/creds", [{ status: 500, body: "nope" }, { status: 200 }]);
      const secret = `whsec_${Buffer.from("0123456789abcdef0123456789abcdef").toString("base64")}`;
      const target = new URL(receiver.url);
      const url = `http://hook-user:pa55w0rd-XYZ@${target.host}/creds?token=sekrit-query-value`;
      const created = await server.api("POST", "/v1/endpoints", { url, secret, eventTypes: ["order.created"] });
      expect(created.status).toBe(201);
      const ep = created.body.id as string;
      const rotated = await server.api("POST", `/v1/endpoints/${ep}/rotate-secret`, {});
      const newSecret = rotated.body.secret as string;

      const id = (await server.api("POST", "/v1/events", { type: "order.created", payload: example("order.created") })).body.id as string;
      await waitUntil(
        async () => (await server.api("GET", `/v1/events/${id}`)).body.deliveries[0].status === "delivered",
        5000,
        "delivered",
      );
      // The credentials reached the receiver, and only the receiver.
      const first = receiver.requests.find((r) => r.path === "/creds")!;
      expect(header(first, "authorization")).toBe(`Basic ${Buffer.from("hook-user:pa55w0rd-XYZ").toString("base64")}`);
      expect(first.search).toBe("?token=sekrit-query-value");

      // A new URL with other credentials, through PATCH; then the masked URL sent back unchanged.
      receiver.script("/creds2", [{ status: 500, body: "nope" }, { status: 200 }]);
      const patched = await server.api("PATCH", `/v1/endpoints/${ep}`, {
        url: `http://other-user:n3w-pa55-QRS@${target.host}/creds2?api_key=k3y-value-789`,
      });
      expect(patched.status).toBe(200);
      bodies.push(patched.text);
      bodies.push((await server.api("PATCH", `/v1/endpoints/${ep}`, { url: patched.body.url, description: "round trip" })).text);
      const id2 = (await server.api("POST", "/v1/events", { type: "order.created", payload: example("order.created") })).body.id as string;
      await waitUntil(
        async () => (await server.api("GET", `/v1/events/${id2}`)).body.deliveries[0].status === "delivered",
        5000,
        "delivered again",
      );
      expect(receiver.requests.find((r) => r.path === "/creds2")?.search).toBe("?api_key=k3y-value-789");

      for (const [method, path, body, headers] of [
        ["GET", "/v1/endpoints", undefined, { authorization: "Bearer not-the-key-but-close" }],
        ["POST", "/v1/endpoints", { url, secret: "whsec_dG9vLXNob3J0" }, {}],
        ["POST", `/v1/endpoints/${ep}/rotate-secret`, { secret: `whsec_${Buffer.alloc(100, 3).toString("base64")}` }, {}],
        ["POST", "/v1/events", { type: "order.created", payload: { ...example("order.created"), customer: secret } }, {}],
        ["GET", "/v1/events/evt_missing", undefined, {}],
        ["GET", "/v1/endpoints", undefined, {}],
        ["GET", `/v1/endpoints/${ep}`, undefined, {}],
        ["POST", "/v1/endpoints", { url: `http://hook-user:****@${target.host}/creds?token=sekrit-query-value` }, {}],
        ["GET", `/v1/events/${id2}`, undefined, {}],
        ["GET", `/v1/deliveries?status=failed`, undefined, {}],
        ["GET", `/v1/endpoints/${ep}/attempts`, undefined, {}],
      ] as const) {
        bodies.push((await server.api(method, path, body, headers)).text);
      }
      bodies.push(await (await fetch(`${server.url}/metrics`)).text());
      bodies.push((await server.api("GET", `/v1/events/${id}/attempts`)).text);

      const signatures = receiver.requests.flatMap((r) =>
        header(r, "webhook-signature")
          .split(" ")
          .map((s) => s.split(",")[1] ?? ""),
      );
      expect(signatures.length).toBeGreaterThanOrEqual(2);
      const forbidden = [
        API_KEY,
        secret,
        secret.slice("whsec_".length),
        newSecret.slice("whsec_".length),
        Buffer.alloc(100, 3).toString("base64").slice(0, 40),
        "pa55w0rd-XYZ",
        "sekrit-query-value",
        "n3w-pa55-QRS",
        "k3y-value-789",
        ...signatures,
      ];
      const logs = server.logs.join("");
      expect(logs).toContain("attempt recorded");
      expect(logs.length).toBeGreaterThan(1000);
      for (const value of forbidden) {
        expect(logs, `logs contain ${value.slice(0, 8)}…`).not.toContain(value);
        for (const body of bodies) expect(body, `a response contains ${value.slice(0, 8)}…`).not.toContain(value);
      }
    } finally {
      await server.close();
      await receiver.close();
    }
  });
});
