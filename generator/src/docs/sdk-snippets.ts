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

/** `versions`: every version of the event's type, any order; older ones get a line showing `{ version }`. */
export function senderSnippet(event: EventModel, modules: SdkModules, versions: readonly EventModel[] = [event]): string {
  const payload =
    event.examples[0] === undefined ? `payload /* ${event.typeName} */` : indent(JSON.stringify(event.examples[0], null, 2), "");
  const older = versions.filter((v) => v.version < event.version).sort((a, b) => b.version - a.version)[0];
  const olderLine =
    older === undefined
      ? ""
      : `// A receiver pinned to v${older.version}? Send that version explicitly, typed and validated as ${older.typeName}:
// await sender.send(url, ${JSON.stringify(event.type)}, payloadV${older.version}, { version: ${older.version} });
`;
  return `import { createSender } from ${JSON.stringify(modules.sender)};

const sender = createSender({ secret: process.env.WEBHOOK_SECRET ?? "" });

// The payload is type-checked (${event.typeName}) and validated before it is signed and sent.
const result = await sender.send("https://example.com/webhooks", ${JSON.stringify(event.type)}, ${payload});
if (!result.ok) console.warn(\`receiver answered \${result.status}\`);
${olderLine}`;
}

/** `versions`: every version of the event's type; with several, the handler narrows on `event.version`. */
export function receiverSnippet(event: EventModel, modules: SdkModules, versions: readonly EventModel[] = [event]): string {
  const properties = event.schema.properties;
  const first = typeof properties === "object" && properties !== null ? Object.keys(properties)[0] : undefined;
  const read = first !== undefined && /^[A-Za-z_$][\w$]*$/.test(first) ? `event.data.${first}` : "event.data";
  const body =
    versions.length > 1
      ? `// event.data is validated against the version the delivery names; narrow on it.
      if (event.version === ${event.version}) console.log(id, ${read}); // ${event.typeName}
      else console.log(id, "older version", event.version, event.data);`
      : `console.log(id, ${read});`;
  return `import { createServer } from "node:http";
import { createReceiver, toNodeListener } from ${JSON.stringify(modules.receiver)};

const receiver = createReceiver({
  secret: process.env.WEBHOOK_SECRET ?? "",
  handlers: {
    // The signature and timestamp were checked first, then the payload (${versions.length > 1 ? "every version" : event.typeName}).
    ${JSON.stringify(event.type)}: async (event, { id }) => {
      ${body}
    },
  },
});

createServer(toNodeListener(receiver)).listen(3000);
`;
}

export function snippetBlock(code: string): string {
  return `<pre class="code"><code>${escapeHtml(code)}</code></pre>`;
}
