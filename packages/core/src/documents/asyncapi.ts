/**
 * The catalog as an AsyncAPI 3.0 document: one channel per event type (address `null`: each
 * subscriber registers its own URL), one message per version with the Standard Webhooks headers,
 * the envelope as payload and the examples, and one `send` operation per channel. Channel ids are
 * the event types themselves: AsyncAPI ids allow letters, digits, `.`, `-` and `_`, as types do.
 */
import { type DocumentEvent, type DocumentInfo, eventComponents, exampleEnvelopes, firstSentence } from "./components.js";
import { WEBHOOK_HEADER_NAMES, WEBHOOK_HEADERS } from "./headers.js";

export function asyncApiDocument(events: readonly DocumentEvent[], info: DocumentInfo): Record<string, unknown> {
  const components = eventComponents(events, "#/components/schemas/");
  const channels: Record<string, { address: null; title: string; description: string; messages: Record<string, unknown> }> = {};
  const messages: Record<string, unknown> = {};
  events.forEach((event, i) => {
    const names = components.names[i] as { payload: string; envelope: string };
    channels[event.type] ??= {
      address: null,
      title: event.type,
      description: `Deliveries of \`${event.type}\` events, POSTed to each subscribed endpoint's URL.`,
      messages: {},
    };
    const channel = channels[event.type] as { messages: Record<string, unknown> };
    channel.messages[names.payload] = { $ref: `#/components/messages/${names.payload}` };
    messages[names.payload] = {
      name: event.type,
      title: `${event.type} v${event.version}`,
      summary: `${event.deprecated ? "Deprecated. " : ""}${firstSentence(event.description)}`,
      description: event.description,
      contentType: "application/json",
      headers: { $ref: "#/components/schemas/WebhookHeaders" },
      payload: { $ref: `#/components/schemas/${names.envelope}` },
      examples: exampleEnvelopes(event).map((payload, n) => ({
        name: `${event.type}-v${event.version}-${n + 1}`,
        headers: exampleHeaders(),
        payload,
      })),
      ...(event.deprecated
        ? { tags: [{ name: "deprecated", description: "A newer version exists; subscribers should move to it." }] }
        : {}),
    };
  });
  const operations = Object.fromEntries(
    Object.entries(channels).map(([id, channel]) => [
      `send-${id}`,
      {
        action: "send",
        title: `Send ${channel.title}`,
        channel: { $ref: `#/channels/${id}` },
        messages: Object.keys(channel.messages).map((name) => ({ $ref: `#/channels/${id}/messages/${name}` })),
      },
    ]),
  );
  return {
    asyncapi: "3.0.0",
    info: { title: info.title, version: info.version, ...(info.description === undefined ? {} : { description: info.description }) },
    defaultContentType: "application/json",
    channels,
    operations,
    components: {
      schemas: { ...components.schemas, WebhookHeaders: webhookHeadersSchema() },
      messages,
    },
  };
}

function webhookHeadersSchema(): Record<string, unknown> {
  return {
    type: "object",
    description: "Standard Webhooks headers (https://www.standardwebhooks.com); header names are case-insensitive.",
    required: [...WEBHOOK_HEADER_NAMES],
    properties: WEBHOOK_HEADERS,
  };
}

function exampleHeaders(): Record<string, string> {
  return Object.fromEntries(WEBHOOK_HEADER_NAMES.map((name) => [name, WEBHOOK_HEADERS[name].examples[0]]));
}
