/**
 * SQLite reads for endpoint health on the dashboard (src/domain/endpoint-activity.ts): per endpoint,
 * a count over its attempts of the window (attempts_endpoint_time, covering) and two seeks for its
 * newest attempt and newest failure (attempts_endpoint_failed).
 */
import { type EndpointActivity, NOT_SENT_ERROR_CODE } from "../../domain/endpoint-activity.js";
import type { Sql } from "./connection.js";

export function endpointActivity(sql: Sql, endpointIds: readonly string[], since: number): Map<string, EndpointActivity> {
  const counts = sql(
    `SELECT count(*) AS attempts, coalesce(sum(status = 'failed'), 0) AS failures, max(created_at) AS last_at
     FROM attempts INDEXED BY attempts_endpoint_time
     WHERE endpoint_id = @id AND created_at >= @since AND error_code IS NOT @notSent`,
  );
  const newest = sql(
    `SELECT created_at FROM attempts INDEXED BY attempts_endpoint_time WHERE endpoint_id = ? AND error_code IS NOT ?
     ORDER BY created_at DESC LIMIT 1`,
  ).pluck();
  const failure = sql(
    `SELECT error_code, error_message, status_code, created_at FROM attempts INDEXED BY attempts_endpoint_failed
     WHERE endpoint_id = ? AND status = 'failed' AND error_code IS NOT ? ORDER BY created_at DESC LIMIT 1`,
  );
  const out = new Map<string, EndpointActivity>();
  for (const id of new Set(endpointIds)) {
    const c = counts.get({ id, since, notSent: NOT_SENT_ERROR_CODE }) as { attempts: number; failures: number; last_at: number | null };
    const lastAttemptAt = c.last_at ?? (newest.get(id, NOT_SENT_ERROR_CODE) as number | undefined) ?? null;
    if (lastAttemptAt === null) continue;
    const f = failure.get(id, NOT_SENT_ERROR_CODE) as
      | { error_code: string | null; error_message: string | null; status_code: number | null; created_at: number }
      | undefined;
    out.set(id, {
      attempts: c.attempts,
      failures: c.failures,
      lastAttemptAt,
      lastError:
        f === undefined
          ? null
          : {
              code: f.error_code ?? "failed",
              message: f.error_message ?? f.error_code ?? "failed",
              statusCode: f.status_code,
              at: f.created_at,
            },
    });
  }
  return out;
}
