import type { OrderPaid, OrderShippedV1 } from "@hookline/sender";

export const SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

export const paid: OrderPaid = {
  orderId: "ord_3kT9vQ2mNa",
  paymentId: "pay_5Rt8YuW1qZ",
  paidAt: "2025-03-10T14:22:41Z",
  amount: { amount: 5073, currency: "USD" },
  paymentMethod: { kind: "card", brand: "visa", last4: "4242", expMonth: 8, expYear: 2028 },
  receiptUrl: null,
};

/** An older version of an event type, sent explicitly with `{ version: 1 }`. */
export const shippedV1: OrderShippedV1 = {
  orderId: "ord_3kT9vQ2mNa",
  shipmentId: "shp_6Gh3JkL0pQ",
  shippedAt: "2025-03-11T16:40:00Z",
  tracking: { carrier: "ups", service: "Ground", trackingNumber: "1Z999AA10123456784", trackingUrl: null },
  items: [{ lineItemId: "li_7Hq2Zt", sku: "MUG-CER-350-BLU", quantity: 2 }],
  shippingAddress: { line1: "742 Evergreen Terrace", line2: null, city: "Springfield", region: "OR", postalCode: "97403", country: "US" },
  estimatedDeliveryDate: "2025-03-14",
};
