/**
 * PostgreSQL reads for endpoint health on the dashboard (src/domain/endpoint-activity.ts): one
 * statement for a page of endpoints, per endpoint a count over its attempts of the window
 * (attempts_endpoint_time, index-only once vacuumed) and two seeks for its newest attempt and
 * newest failure (attempts_endpoint_failed).
 */
import { type EndpointActivity, NOT_SENT_ERROR_CODE } from "../../domain/endpoint-activity.js";
import type { Query } from "./connection.js";

interface ActivityRow {
  id: string;
  attempts: number;
  failures: number;
  last_at: number | null;
  error_code: string | null;
  error_message: string | null;
  status_code: number | null;
  error_at: number | null;
}

export async function endpointActivity(
  query: Query,
  endpointIds: readonly string[],
  since: number,
): Promise<Map<string, EndpointActivity>> {
  const out = new Map<string, EndpointActivity>();
  if (endpointIds.length === 0) return out;
  const rows = await query<ActivityRow>(
    `SELECT ids.id, c.attempts, c.failures, newest.last_at, f.error_code, f.error_message, f.status_code, f.created_at AS error_at
     FROM unnest($1::text[]) AS ids(id)
     CROSS JOIN LATERAL (
       SELECT count(*)::int AS attempts, count(*) FILTER (WHERE a.status = 'failed')::int AS failures
       FROM attempts a WHERE a.endpoint_id = ids.id AND a.created_at >= $2 AND a.error_code IS DISTINCT FROM $3
     ) c
     LEFT JOIN LATERAL (
       SELECT a.created_at AS last_at FROM attempts a WHERE a.endpoint_id = ids.id AND a.error_code IS DISTINCT FROM $3
       ORDER BY a.created_at DESC LIMIT 1
     ) newest ON TRUE
     LEFT JOIN LATERAL (
       SELECT a.error_code, a.error_message, a.status_code, a.created_at FROM attempts a
       WHERE a.endpoint_id = ids.id AND a.status = 'failed' AND a.error_code IS DISTINCT FROM $3
       ORDER BY a.created_at DESC LIMIT 1
     ) f ON TRUE`,
    [[...new Set(endpointIds)], since, NOT_SENT_ERROR_CODE],
  );
  for (const row of rows) {
    if (row.last_at === null) continue;
    out.set(row.id, {
      attempts: row.attempts,
      failures: row.failures,
      lastAttemptAt: Number(row.last_at),
      lastError:
        row.error_at === null
          ? null
          : {
              code: row.error_code ?? "failed",
              message: row.error_message ?? row.error_code ?? "failed",
              statusCode: row.status_code,
              at: Number(row.error_at),
            },
    });
  }
  return out;
}
