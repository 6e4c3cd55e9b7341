import type dns from "node:dns";
import { expectTypeOf, test } from "vitest";
import {
  type Egress,
  checkEndpointUrl,
  classifyAddress,
  isAllowed,
  parseAllowList,
  type AttemptOutcome,
  type EgressPolicy,
} from "../../src/egress/index.js";

test("the egress API keeps the shape the worker codes against", () => {
  expectTypeOf(parseAllowList).toEqualTypeOf<(value: string | undefined) => string[]>();
  expectTypeOf(classifyAddress).returns.toEqualTypeOf<{ kind: "public" } | { kind: "blocked"; range: string }>();
  expectTypeOf(isAllowed).parameters.toEqualTypeOf<[ip: string, policy: EgressPolicy]>();
  expectTypeOf(isAllowed).returns.toEqualTypeOf<{ ok: true } | { ok: false; reason: string }>();
  expectTypeOf(checkEndpointUrl).returns.toEqualTypeOf<
    { ok: true; url: URL } | { ok: false; code: "invalid_url" | "blocked_destination"; message: string }
  >();
  expectTypeOf<ConstructorParameters<typeof Egress>[0]>().toEqualTypeOf<EgressPolicy>();
  expectTypeOf<ConstructorParameters<typeof Egress>[1]>().toEqualTypeOf<{ connections?: number; lookup?: typeof dns.lookup } | undefined>();
  expectTypeOf<Extract<AttemptOutcome, { kind: "error" }>["code"]>().toEqualTypeOf<
    | "blocked_destination"
    | "timeout"
    | "connection_refused"
    | "connection_reset"
    | "dns_failure"
    | "tls_error"
    | "invalid_url"
    | "network_error"
  >();
  expectTypeOf<Extract<AttemptOutcome, { kind: "response" }>>().toHaveProperty("retryAfter").toEqualTypeOf<string | undefined>();
  expectTypeOf<Egress["attempt"]>().returns.toEqualTypeOf<Promise<AttemptOutcome>>();
});
