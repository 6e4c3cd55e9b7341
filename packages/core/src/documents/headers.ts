/** The Standard Webhooks headers every delivery carries, as a JSON Schema of string header values. */
export const WEBHOOK_HEADERS = {
  "webhook-id": {
    type: "string",
    description: "Unique message id (`msg_…`); the same on every retry of a delivery, so receivers use it to drop duplicates.",
    examples: ["msg_01KBQ3Z7V6N4X8Y2W5T9R1P0AB"],
  },
  "webhook-timestamp": {
    type: "string",
    pattern: "^[0-9]{1,15}$",
    description: "Signing time in integer unix seconds; receivers refuse timestamps too far from their clock (replay protection).",
    examples: ["1767225600"],
  },
  "webhook-signature": {
    type: "string",
    description:
      "Space-separated signatures over `<webhook-id>.<webhook-timestamp>.<body>`: `v1,<base64 HMAC-SHA256>` or `v1a,<base64 Ed25519>`, one per active key.",
    examples: ["v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4="],
  },
} as const;

export const WEBHOOK_HEADER_NAMES = Object.keys(WEBHOOK_HEADERS) as Array<keyof typeof WEBHOOK_HEADERS>;
