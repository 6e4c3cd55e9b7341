/** The API's answers as the pages read them (see GET /openapi.json for the full description). */

export interface Page<T> {
  data: T[];
  nextCursor: string | null;
}

export interface Me {
  kind: "admin" | "token";
  access: "read" | "write";
  tenant: string | null;
  expiresAt: string | null;
  portal: { title: string; color: string };
}

export interface Health {
  successRate: number | null;
  attempts24h: number;
  failures24h: number;
  lastAttemptAt: string | null;
  lastError: { code: string; message: string; statusCode: number | null; at: string } | null;
  failingSince: string | null;
}

export interface Endpoint {
  id: string;
  url: string;
  eventTypes: string[] | null;
  tenant: string | null;
  description: string | null;
  rateLimit: number | null;
  disabled: boolean;
  disabledReason: string | null;
  metadata: Record<string, unknown>;
  pins: Record<string, number>;
  createdAt: string;
  updatedAt: string;
  health?: Health;
  secret?: string;
}

export interface EventSummary {
  id: string;
  type: string;
  version: number;
  tenant: string | null;
  createdAt: string;
  envelope: { type?: string; timestamp?: string; data?: unknown };
}

export interface Delivery {
  endpointId: string;
  status: DeliveryStatus;
  version: number;
  attempts: number;
  nextAttemptAt: string | null;
  lastAttemptAt: string | null;
  failureReason: string | null;
}

export interface DeliveryItem extends Delivery {
  id: string;
  eventId: string;
  createdAt: string;
  updatedAt: string;
}

export interface EventDetail extends EventSummary {
  deliveries: Delivery[];
}

export interface Attempt {
  id: string;
  eventId: string;
  endpointId: string;
  status: string;
  statusCode: number | null;
  durationMs: number | null;
  error?: { code: string; message: string };
  responseBody: string | null;
  requestHeaders?: Record<string, string>;
  responseHeaders?: Record<string, string>;
  createdAt: string;
}

export interface EventType {
  type: string;
  version: number;
  versions: { version: number; deprecated: boolean; pinnedEndpoints: number }[];
  title?: string;
  description: string;
  deprecated: boolean;
  schema: Record<string, unknown>;
  examples: unknown[];
}

export const DELIVERY_STATUSES = ["pending", "delivering", "delivered", "failed", "cancelled"] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];
