import { describe, expect, it } from "vitest";
import { ConfigError, describeConfig, describeDatabase, loadConfig, resolveConfig } from "../../src/config.js";

describe("config", () => {
  it("has the documented defaults", () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      port: 8787,
      host: "127.0.0.1",
      requestTimeoutMs: 15_000,
      leaseMs: 45_000,
      maxPayloadBytes: 262_144,
      pageMaxBytes: 1_048_576,
      egressAllow: [],
      httpsOnly: false,
      concurrency: 64,
      endpointConcurrency: 8,
      disableAfterMs: 5 * 86_400_000,
      retentionMs: 30 * 86_400_000,
      httpHeadersTimeoutMs: 10_000,
      httpRequestTimeoutMs: 30_000,
      httpIdleTimeoutMs: 72_000,
      httpMaxConnections: 1000,
    });
    expect(c.retrySchedule).toEqual([5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000]);
    expect(c.dbPath).toMatch(/\.hookline\/hookline\.db$/);
  });

  it("reads every variable", () => {
    const c = loadConfig({
      PORT: "9000",
      HOST: "0.0.0.0",
      HOOKLINE_DB: "/tmp/x.db",
      HOOKLINE_API_KEY: "0123456789abcdef",
      HOOKLINE_RETRY_SCHEDULE: "250ms, 1s,2m",
      HOOKLINE_REQUEST_TIMEOUT_MS: "1000",
      HOOKLINE_LEASE_MS: "6000",
      HOOKLINE_MAX_PAYLOAD_BYTES: "2048",
      HOOKLINE_PAGE_MAX_BYTES: "65536",
      HOOKLINE_EGRESS_ALLOW: "127.0.0.1/32, ::1/128",
      HOOKLINE_HTTPS_ONLY: "true",
      HOOKLINE_CONCURRENCY: "10",
      HOOKLINE_ENDPOINT_CONCURRENCY: "2",
      HOOKLINE_DISABLE_AFTER: "2d",
      HOOKLINE_RETENTION: "7d",
      HOOKLINE_MASTER_KEY: Buffer.alloc(32, 7).toString("base64"),
      HOOKLINE_HTTP_HEADERS_TIMEOUT_MS: "2000",
      HOOKLINE_HTTP_REQUEST_TIMEOUT_MS: "5000",
      HOOKLINE_HTTP_IDLE_TIMEOUT_MS: "9000",
      HOOKLINE_HTTP_MAX_CONNECTIONS: "50",
    });
    expect(c).toMatchObject({
      port: 9000,
      host: "0.0.0.0",
      dbPath: "/tmp/x.db",
      retrySchedule: [250, 1000, 120_000],
      leaseMs: 6000,
      pageMaxBytes: 65_536,
      egressAllow: ["127.0.0.1/32", "::1/128"],
      httpsOnly: true,
      httpHeadersTimeoutMs: 2000,
      httpRequestTimeoutMs: 5000,
      httpIdleTimeoutMs: 9000,
      httpMaxConnections: 50,
    });
    expect(c.masterKey?.length).toBe(32);
    expect(loadConfig({ HOOKLINE_EGRESS_ALLOW: "none" }).egressAllow).toEqual([]);
    expect(loadConfig({ HOOKLINE_RETRY_SCHEDULE: "none" }).retrySchedule).toEqual([]);
  });

  it("refuses a lease that does not outlive the request timeout by the margin", () => {
    expect(() => loadConfig({ HOOKLINE_REQUEST_TIMEOUT_MS: "15000", HOOKLINE_LEASE_MS: "16000" })).toThrow(
      /HOOKLINE_LEASE_MS \(16000\) must exceed HOOKLINE_REQUEST_TIMEOUT_MS \(15000\) by at least 5000 ms/,
    );
    expect(resolveConfig({ requestTimeoutMs: 60_000 }).leaseMs).toBe(90_000);
  });

  it("refuses a headers timeout longer than the request timeout it is part of", () => {
    expect(() => loadConfig({ HOOKLINE_HTTP_HEADERS_TIMEOUT_MS: "40000" })).toThrow(
      /HOOKLINE_HTTP_HEADERS_TIMEOUT_MS \(40000\) cannot exceed HOOKLINE_HTTP_REQUEST_TIMEOUT_MS \(30000\)/,
    );
    expect(() => loadConfig({ HOOKLINE_HTTP_MAX_CONNECTIONS: "0" })).toThrow(/HOOKLINE_HTTP_MAX_CONNECTIONS must be an integer from 1/);
  });

  it("reports every bad value at once, naming the variable", () => {
    try {
      loadConfig({
        PORT: "eighty",
        HOOKLINE_RETRY_SCHEDULE: "5s,later",
        HOOKLINE_EGRESS_ALLOW: "localhost",
        HOOKLINE_HTTPS_ONLY: "maybe",
        HOOKLINE_MASTER_KEY: "short",
      });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const text = (error as ConfigError).problems.join("\n");
      for (const name of ["PORT", "HOOKLINE_RETRY_SCHEDULE", "HOOKLINE_EGRESS_ALLOW", "HOOKLINE_HTTPS_ONLY", "HOOKLINE_MASTER_KEY"])
        expect(text).toContain(name);
    }
  });

  it("never shows a database password, in the user info or as a query parameter (pg reads ?password= and ?sslpassword=)", () => {
    for (const url of [
      "postgres://hook:s3cret-pw@db.internal:5432/hookline",
      "postgres://hook@db.internal:5432/hookline?password=s3cret-pw",
      "postgresql://hook@db.internal/hookline?sslmode=verify-full&sslpassword=s3cret-pw",
      "postgres://hook@db.internal/hookline?PASSWORD=x&password=s3cret-pw",
    ]) {
      const config = loadConfig({ DATABASE_URL: url });
      expect(describeDatabase(config), url).not.toContain("s3cret-pw");
      expect(JSON.stringify(describeConfig(config)), url).not.toContain("s3cret-pw");
      expect(describeDatabase(config)).toContain("db.internal");
    }
  });
});
