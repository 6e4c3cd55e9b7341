/** "Send test event": the catalog's first example of a type, sent for real (it is delivered like any event). */
import { post } from "./api.js";
import type { EventType } from "./types.js";

export async function sendTestEvent(type: EventType, tenant: string | null): Promise<string> {
  const payload = type.examples[0];
  if (payload === undefined || payload === null || typeof payload !== "object") {
    throw new Error(`The catalog has no example for ${type.type}; add one to its schema's "examples" to send test events.`);
  }
  const accepted = await post<{ id: string }>("/v1/events", { type: type.type, payload, ...(tenant === null ? {} : { tenant }) });
  return accepted.id;
}
