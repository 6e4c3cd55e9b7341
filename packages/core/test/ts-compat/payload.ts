import type { OrderPaid } from "@hookline/sender";

export const SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

export const paid: OrderPaid = {
  orderId: "ord_3kT9vQ2mNa",
  paymentId: "pay_5Rt8YuW1qZ",
  paidAt: "2025-03-10T14:22:41Z",
  amount: { amount: 5073, currency: "USD" },
  paymentMethod: { kind: "card", brand: "visa", last4: "4242", expMonth: 8, expYear: 2028 },
  receiptUrl: null,
};
