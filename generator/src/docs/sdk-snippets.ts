/** The exact SDK calls that send and handle one event type, filled in with its first example. */

import type { EventModel } from "../model/catalog-model.js";
import { escapeHtml } from "./html.js";

export interface SdkModules {
  /** Module that exports `createSender` (default `@hookline/sender`). */
  readonly sender: string;
  /** Module that exports `createReceiver` (default `@hookline/receiver`). */
  readonly receiver: string;
}

export const DEFAULT_SDK_MODULES: SdkModules = { sender: "@hookline/sender", receiver: "@hookline/receiver" };

function indent(text: string, by: string): string {
  return text.replace(/\n/g, `\n${by}`);
}

export function senderSnippet(event: EventModel, modules: SdkModules): string {
  const payload =
    event.examples[0] === undefined ? `payload /* ${event.typeName} */` : indent(JSON.stringify(event.examples[0], null, 2), "");
  return `import { createSender } from ${JSON.stringify(modules.sender)};

const sender = createSender({ secret: process.env.WEBHOOK_SECRET ?? "" });

// The payload is type-checked (${event.typeName}) and validated before it is signed and sent.
const result = await sender.send("https://example.com/webhooks", ${JSON.stringify(event.type)}, ${payload});
if (!result.ok) console.warn(\`receiver answered \${result.status}\`);
`;
}

export function receiverSnippet(event: EventModel, modules: SdkModules): string {
  const properties = event.schema.properties;
  const first = typeof properties === "object" && properties !== null ? Object.keys(properties)[0] : undefined;
  const read = first !== undefined && /^[A-Za-z_$][\w$]*$/.test(first) ? `event.data.${first}` : "event.data";
  return `import { createServer } from "node:http";
import { createReceiver, toNodeListener } from ${JSON.stringify(modules.receiver)};

const receiver = createReceiver({
  secret: process.env.WEBHOOK_SECRET ?? "",
  handlers: {
    // event.data is a validated ${event.typeName}; the signature and timestamp were checked first.
    ${JSON.stringify(event.type)}: async (event, { id }) => {
      console.log(id, ${read});
    },
  },
});

createServer(toNodeListener(receiver)).listen(3000);
`;
}

export function snippetBlock(code: string): string {
  return `<pre class="code"><code>${escapeHtml(code)}</code></pre>`;
}
