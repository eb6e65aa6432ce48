import * as assert from "uvu/assert";
import {
  declineAmountsOver,
  declineOrders,
  MemoryPaymentGateway,
} from "../../../../src/adapters/order/payment/memory-payment-gateway.js";
import type { ChargeRequest } from "../../../../src/ports/order/payment-gateway.js";
import { suite } from "../../../support/uvu.js";

const chargeOf = (orderId: string, amountMinor: number): ChargeRequest => ({
  idempotencyKey: `order-${orderId}-charge`,
  orderId,
  amount: { amountMinor, currency: "EUR" },
});

const it = suite("MemoryPaymentGateway");

it("given decline rules for a limit and for chosen orders, when orders are charged, then the first matching rule's reason declines and the rest are approved", async () => {
  const gateway = new MemoryPaymentGateway({
    declineWhen: [declineAmountsOver(10_000), declineOrders(["o-stolen"], "card reported stolen")],
  });

  const outcomes = await Promise.all([
    gateway.charge(chargeOf("o-small", 10_000)),
    gateway.charge(chargeOf("o-large", 10_001)),
    gateway.charge(chargeOf("o-stolen", 500)),
  ]);

  assert.equal(
    outcomes.map((outcome) => (outcome.outcome === "declined" ? outcome.reason : outcome.outcome)),
    ["approved", "amount over the card's limit", "card reported stolen"],
  );
});

it("given two runs of the same charges and refund, then both give the same references", async () => {
  const run = async () => {
    const gateway = new MemoryPaymentGateway();
    const first = await gateway.charge(chargeOf("o-1", 100));
    const second = await gateway.charge(chargeOf("o-2", 200));
    if (first.outcome !== "approved" || second.outcome !== "approved") throw new Error("expected approvals");
    const refund = await gateway.refund({
      idempotencyKey: "order-o-1-refund",
      orderId: "o-1",
      paymentReference: first.paymentReference,
      amount: { amountMinor: 100, currency: "EUR" },
    });
    return [first.paymentReference, second.paymentReference, refund.refundReference];
  };

  assert.equal(await run(), await run());
});

it("given charges and a refund, then it records each once per key, as they were requested, however often they were sent", async () => {
  const gateway = new MemoryPaymentGateway({ declineWhen: [declineOrders(["o-2"])] });
  const request = { ...chargeOf("o-1", 100), amount: { amountMinor: 100, currency: "EUR" } };
  const approved = await gateway.charge(request);
  await gateway.charge(request);
  const declined = await gateway.charge(chargeOf("o-2", 100));
  if (approved.outcome !== "approved") throw new Error("expected an approval");
  const refundRequest = {
    idempotencyKey: "order-o-1-refund",
    orderId: "o-1",
    paymentReference: approved.paymentReference,
    amount: { amountMinor: 100, currency: "EUR" },
  };
  const refunded = await gateway.refund(refundRequest);
  (request.amount as { amountMinor: number }).amountMinor = 999;

  assert.equal(gateway.charges(), [
    { request: chargeOf("o-1", 100), outcome: approved },
    { request: chargeOf("o-2", 100), outcome: declined },
  ]);
  assert.equal(gateway.refunds(), [{ request: refundRequest, outcome: refunded }]);
  assert.equal([gateway.chargesTaken("order-o-1-charge"), gateway.chargesTaken("order-o-2-charge")], [1, 0]);
});

it.run();
