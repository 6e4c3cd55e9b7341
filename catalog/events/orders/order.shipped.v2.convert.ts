/**
 * order.shipped v2 ↔ v1. v2 splits a shipment over parcels, each with its own tracking and lines;
 * v1 describes one parcel.
 *
 * down (v2 → v1) is lossy but faithful for a v1 receiver: the first parcel's tracking stands for the
 * shipment (v1 has room for one), and the lines of every parcel are listed, a line split over
 * parcels once with its quantities added up, so the v1 receiver still sees everything that shipped.
 * Parcel ids, weights, the other parcels' tracking and isFinalShipment are dropped.
 *
 * No up (v1 → v2): v2 requires isFinalShipment, which a v1 payload does not carry. Guessing it would
 * tell v2 receivers that an order is (or is not) complete on no evidence, and they act on it.
 */

import type { OrderShippedV1, OrderShippedV2 } from "../../types.js";

type LineItemRef = OrderShippedV1["items"][number];

export function down(payload: OrderShippedV2): OrderShippedV1 {
  const [first] = payload.parcels;
  if (first === undefined) throw new Error("order.shipped v2 payload has no parcels (the schema requires at least one)");
  return {
    orderId: payload.orderId,
    shipmentId: payload.shipmentId,
    shippedAt: payload.shippedAt,
    tracking: first.tracking,
    items: mergeLines(payload.parcels.flatMap((parcel) => parcel.items)),
    shippingAddress: payload.shippingAddress,
    estimatedDeliveryDate: payload.estimatedDeliveryDate,
  };
}

/** One entry per order line, in first-seen order, with the quantities of its parcels added up. */
function mergeLines(items: readonly LineItemRef[]): LineItemRef[] {
  const byLine = new Map<string, LineItemRef>();
  for (const item of items) {
    const seen = byLine.get(item.lineItemId);
    byLine.set(item.lineItemId, seen === undefined ? { ...item } : { ...seen, quantity: seen.quantity + item.quantity });
  }
  return [...byLine.values()];
}
