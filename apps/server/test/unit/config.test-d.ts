import { expectTypeOf, test } from "vitest";
import type { Config, LogFormat } from "../../src/config.js";

/** The shape the rest of the server relies on, written out once more on purpose: the table must produce it. */
interface Expected {
  readonly port: number;
  readonly host: string;
  readonly dbPath: string;
  readonly databaseUrl: string | undefined;
  readonly databaseSchema: string;
  readonly dbPoolSize: number;
  readonly dbStatementTimeoutMs: number;
  readonly apiKey: string | undefined;
  readonly retrySchedule: readonly number[];
  readonly requestTimeoutMs: number;
  readonly leaseMs: number;
  readonly maxPayloadBytes: number;
  readonly egressAllow: readonly string[];
  readonly httpsOnly: boolean;
  readonly dangerouslyAllowInvalidTls: boolean;
  readonly concurrency: number;
  readonly endpointConcurrency: number;
  readonly disableAfterMs: number;
  readonly retentionMs: number;
  readonly retryAfterMaxMs: number;
  readonly internalErrorLimit: number;
  readonly shutdownTimeoutMs: number;
  readonly pollIntervalMs: number;
  readonly internalRetryMs: number;
  readonly responseBodyLimit: number;
  readonly httpHeadersTimeoutMs: number;
  readonly httpRequestTimeoutMs: number;
  readonly httpIdleTimeoutMs: number;
  readonly httpMaxConnections: number;
  readonly masterKey: Buffer | undefined;
  readonly catalogDir: string | undefined;
  readonly catalogWatch: boolean;
  readonly docsDir: string | undefined;
  readonly dashboardDir: string | undefined;
  readonly portalFrameAncestors: string;
  readonly publicUrl: string | undefined;
  readonly portalTitle: string;
  readonly portalColor: string;
  readonly logLevel: string;
  readonly pageMaxBytes: number;
  readonly logFormat: LogFormat;
}

test("Config, typed from the settings table, keeps its fields, types and readonly-ness", () => {
  expectTypeOf<Config>().toEqualTypeOf<Expected>();
  expectTypeOf<LogFormat>().toEqualTypeOf<"auto" | "json" | "pretty">();
});
