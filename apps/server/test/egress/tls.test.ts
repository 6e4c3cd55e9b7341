import { once } from "node:events";
import { readFileSync } from "node:fs";
import https from "node:https";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Egress, type EgressPolicy } from "../../src/egress/index.js";
import { startFaultReceiver, type FaultReceiver } from "../support/fault-receiver.js";

const fixture = (name: string): Buffer => readFileSync(new URL(`./fixtures/${name}`, import.meta.url));

describe("TLS", () => {
  let server: https.Server;
  let origin: string;
  let plain: FaultReceiver;

  beforeAll(async () => {
    server = https.createServer({ key: fixture("self-signed.key.pem"), cert: fixture("self-signed.cert.pem") }, (_req, res) =>
      res.writeHead(200, { "content-type": "text/plain" }).end("secure"),
    );
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    origin = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
    plain = await startFaultReceiver();
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await plain.close();
  });

  const attempt = async (policy: EgressPolicy, url: string) => {
    const egress = new Egress(policy);
    try {
      return await egress.attempt({ url, headers: {}, body: "{}", timeoutMs: 2000, maxResponseBytes: 100 });
    } finally {
      await egress.close();
    }
  };
  const verified: EgressPolicy = { allow: ["127.0.0.1/32"], httpsOnly: true };

  it("verifies certificates by default: a self-signed one is tls_error", async () => {
    const outcome = await attempt(verified, `${origin}/hook`);
    expect(outcome).toMatchObject({ kind: "error", code: "tls_error" });
    expect(outcome.kind === "error" && outcome.message).toMatch(
      /^TLS handshake with 127\.0\.0\.1:\d+ failed: self[- ]signed certificate \(DEPTH_ZERO_SELF_SIGNED_CERT\)$/,
    );
  });

  it("allowInvalidTls (the dangerous setting) accepts it", async () => {
    expect(await attempt({ ...verified, allowInvalidTls: true }, `${origin}/hook`)).toMatchObject({
      kind: "response",
      statusCode: 200,
      responseBody: "secure",
    });
  });

  it("https to a plain-HTTP port is tls_error", async () => {
    const url = plain.url.replace("http:", "https:");
    expect(await attempt(verified, url)).toMatchObject({ kind: "error", code: "tls_error" });
  });

  it("https-only mode refuses http: before connecting", async () => {
    const before = plain.connectionCount();
    expect(await attempt(verified, `${plain.url}/hook`)).toMatchObject({ kind: "error", code: "invalid_url" });
    expect(plain.connectionCount()).toBe(before);
  });

  it("IP-literal checks apply to https too", async () => {
    expect(await attempt({ allow: [], httpsOnly: true, allowInvalidTls: true }, `${origin}/hook`)).toMatchObject({
      kind: "error",
      code: "blocked_destination",
    });
  });
});
