import { switchByApi } from "../domain/endpoint-health.js";
import { urlColumns } from "./endpoint-urls.js";
import type { SecretBox } from "./secret-box.js";
import type { EndpointPatch } from "./store.js";

/**
 * The endpoint columns an update writes (besides `updated_at`), the same on both backends: the URL
 * masked and sealed, JSON columns serialised, a new secret sealed (dropping the previous ones), and
 * the API's disable/re-enable rule (src/domain/endpoint-health.ts). Booleans stay booleans: SQLite's
 * caller turns them into 0/1. `reenabled` when the update turns a disabled endpoint back on.
 */
export function patchColumns(
  patch: EndpointPatch,
  current: { readonly disabled: boolean },
  box: SecretBox,
  disabledReason: string | undefined,
): { columns: [column: string, value: unknown][]; reenabled: boolean } {
  const columns: [string, unknown][] = [];
  if (patch.url !== undefined) {
    const url = urlColumns(patch.url, box);
    columns.push(["url", url.url], ["sealed_url", url.sealedUrl]);
  }
  if (patch.eventTypes !== undefined) columns.push(["event_types", patch.eventTypes === null ? null : JSON.stringify(patch.eventTypes)]);
  if (patch.tenant !== undefined) columns.push(["tenant", patch.tenant]);
  if (patch.description !== undefined) columns.push(["description", patch.description]);
  if (patch.rateLimit !== undefined) columns.push(["rate_limit", patch.rateLimit]);
  if (patch.metadata !== undefined) columns.push(["metadata", JSON.stringify(patch.metadata)]);
  if (patch.secret !== undefined) columns.push(["secret", box.seal(patch.secret)], ["previous_secrets", "[]"]);
  const change = switchByApi(current.disabled, patch.disabled, disabledReason);
  if (change !== undefined) {
    columns.push(["disabled", change.disabled], ["disabled_reason", change.disabledReason]);
    if (!change.disabled) columns.push(["failing_since", change.failingSince]);
  }
  return { columns, reenabled: change?.disabled === false };
}
