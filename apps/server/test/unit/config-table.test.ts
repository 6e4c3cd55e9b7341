import { describe, expect, it } from "vitest";
import { ConfigError, describeConfig, loadConfig, resolveConfig } from "../../src/config.js";

const problemsOf = (env: Record<string, string>): readonly string[] => {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
};

describe("config from the settings table", () => {
  it("reads HOOKLINE_PAGE_MAX_BYTES and HOOKLINE_LOG_FORMAT, with their defaults", () => {
    expect(loadConfig({})).toMatchObject({ pageMaxBytes: 1_048_576, logFormat: "auto" });
    expect(loadConfig({ HOOKLINE_PAGE_MAX_BYTES: "65536", HOOKLINE_LOG_FORMAT: "pretty" })).toMatchObject({
      pageMaxBytes: 65_536,
      logFormat: "pretty",
    });
  });

  it("names each bad variable once, parse and range problems together with cross-field ones", () => {
    const problems = problemsOf({
      HOOKLINE_LOG_FORMAT: "fancy",
      HOOKLINE_PAGE_MAX_BYTES: "10",
      HOOKLINE_DISABLE_AFTER: "soon",
      HOOKLINE_CONCURRENCY: "4",
      HOOKLINE_ENDPOINT_CONCURRENCY: "5",
      HOOKLINE_DB_SCHEMA: "Bad-Name",
    });
    expect(problems).toEqual([
      'HOOKLINE_DISABLE_AFTER must be a duration like "5d", "12h", "30m" or "1500ms" (got "soon").',
      'HOOKLINE_DB_SCHEMA must be a lower-case SQL identifier (letters, digits, _; at most 63) (got "Bad-Name").',
      "HOOKLINE_PAGE_MAX_BYTES must be an integer from 1024 to 67108864 (got 10).",
      'HOOKLINE_LOG_FORMAT must be one of auto, json, pretty (got "fancy").',
      "HOOKLINE_ENDPOINT_CONCURRENCY (5) cannot exceed HOOKLINE_CONCURRENCY (4).",
    ]);
  });

  it("checks values given in code with the same messages, naming code-only settings by key", () => {
    expect(() => resolveConfig({ pollIntervalMs: 0, port: 70_000 })).toThrow(
      /PORT must be an integer from 0 to 65535 \(got 70000\)[\s\S]*pollIntervalMs must be an integer from 1/,
    );
  });

  it("logs the effective settings by variable, as one would write them, without secrets", () => {
    const c = loadConfig({
      HOOKLINE_API_KEY: "0123456789abcdef-secret",
      HOOKLINE_MASTER_KEY: Buffer.alloc(32, 7).toString("base64"),
      DATABASE_URL: "postgres://u:pw@db:5432/h",
    });
    const shown = describeConfig(c);
    expect(shown).toMatchObject({
      db: "PostgreSQL postgres://u:***@db:5432/h",
      secretsEncrypted: true,
      HOOKLINE_RETRY_SCHEDULE: "5s,5m,30m,2h,5h,10h,10h",
      HOOKLINE_DISABLE_AFTER: "5d",
      HOOKLINE_EGRESS_ALLOW: "none",
      PORT: "8787",
    });
    const text = JSON.stringify(shown);
    for (const secret of ["0123456789abcdef-secret", Buffer.alloc(32, 7).toString("base64"), "pw@"]) expect(text).not.toContain(secret);
    expect(Object.keys(shown)).not.toContain("HOOKLINE_API_KEY");
  });
});
