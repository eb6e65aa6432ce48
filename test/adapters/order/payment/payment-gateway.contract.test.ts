import * as assert from "uvu/assert";
import { HttpPaymentGateway } from "../../../../src/adapters/order/payment/http-payment-gateway.js";
import {
  declineOrders,
  MemoryPaymentGateway,
} from "../../../../src/adapters/order/payment/memory-payment-gateway.js";
import {
  PaymentRequestRefused,
  REFUSAL,
} from "../../../../src/adapters/order/payment/payment-request-refused.js";
import type {
  ChargeRequest,
  PaymentGateway,
  RefundRequest,
} from "../../../../src/ports/order/payment-gateway.js";
import { rejects } from "../../../support/rejects.js";
import { suite } from "../../../support/uvu.js";
import { startFakePaymentGateway } from "./fake-payment-gateway.js";

/** An adapter under contract, with what the gateway behind it took, seen from the gateway's side. */
interface Fixture {
  readonly gateway: PaymentGateway;
  declineOrder(orderId: string, reason: string): void;
  chargesTaken(idempotencyKey: string): number;
  refundsMade(idempotencyKey: string): number;
  close(): Promise<void>;
}

const FIXTURES: Record<string, () => Promise<Fixture>> = {
  memory: async () => {
    const gateway = new MemoryPaymentGateway();
    return {
      gateway,
      declineOrder: (orderId, reason) => gateway.declineWhen(declineOrders([orderId], reason)),
      chargesTaken: (key) => gateway.chargesTaken(key),
      refundsMade: (key) =>
        gateway.refunds().filter((refund) => refund.request.idempotencyKey === key).length,
      close: async () => {},
    };
  },
  http: async () => {
    const fake = await startFakePaymentGateway();
    return {
      gateway: new HttpPaymentGateway({ baseUrl: fake.baseUrl, apiKey: fake.apiKey, timeoutMs: 5_000 }),
      declineOrder: fake.declineOrder,
      chargesTaken: fake.chargesTaken,
      refundsMade: fake.refundsMade,
      close: fake.close,
    };
  },
};

const chargeOf = (orderId: string, amountMinor = 4_200): ChargeRequest => ({
  idempotencyKey: `order-${orderId}-charge`,
  orderId,
  amount: { amountMinor, currency: "EUR" },
});

const refundOf = (charge: ChargeRequest, paymentReference: string): RefundRequest => ({
  idempotencyKey: `order-${charge.orderId}-refund`,
  orderId: charge.orderId,
  paymentReference,
  amount: charge.amount,
});

async function approved(gateway: PaymentGateway, request: ChargeRequest): Promise<string> {
  const outcome = await gateway.charge(request);
  if (outcome.outcome !== "approved")
    return assert.unreachable(`expected approved, got ${outcome.reason}`) as never;
  return outcome.paymentReference;
}

for (const [name, open] of Object.entries(FIXTURES)) {
  const it = suite(`PaymentGateway contract [${name}]`);
  const spec = (title: string, body: (fixture: Fixture) => Promise<void>) =>
    it(title, async () => {
      const fixture = await open();
      try {
        await body(fixture);
      } finally {
        await fixture.close();
      }
    });

  spec(
    "given a payable order, when it is charged, then the charge is approved with a reference and taken once",
    async (f) => {
      const outcome = await f.gateway.charge(chargeOf("o-1"));

      assert.is(outcome.outcome, "approved");
      assert.ok(outcome.outcome === "approved" && outcome.paymentReference.length > 0);
      assert.is(f.chargesTaken("order-o-1-charge"), 1);
    },
  );

  spec(
    "given the gateway declines an order's card, when it is charged, then the outcome is declined with the gateway's reason and nothing is taken",
    async (f) => {
      f.declineOrder("o-2", "insufficient funds");

      const outcome = await f.gateway.charge(chargeOf("o-2"));

      assert.equal(outcome, { outcome: "declined", reason: "insufficient funds" });
      assert.is(f.chargesTaken("order-o-2-charge"), 0);
    },
  );

  spec(
    "given an approved charge, when the same request is sent again under its key, then the first outcome comes back and the money is taken once",
    async (f) => {
      const first = await f.gateway.charge(chargeOf("o-3"));

      const again = await f.gateway.charge(chargeOf("o-3"));

      assert.equal(again, first);
      assert.is(f.chargesTaken("order-o-3-charge"), 1);
    },
  );

  spec(
    "given two charges of one order sent at once under one key, when both are answered, then both carry the same reference and the money is taken once",
    async (f) => {
      const [a, b] = await Promise.all([
        f.gateway.charge(chargeOf("o-4")),
        f.gateway.charge(chargeOf("o-4")),
      ]);

      assert.equal(a, b);
      assert.is(a.outcome, "approved");
      assert.is(f.chargesTaken("order-o-4-charge"), 1);
    },
  );

  spec(
    "given a declined charge, when it is sent again under its key, then the same decline comes back (the first outcome)",
    async (f) => {
      f.declineOrder("o-5", "card expired");
      await f.gateway.charge(chargeOf("o-5"));

      assert.equal(await f.gateway.charge(chargeOf("o-5")), { outcome: "declined", reason: "card expired" });
      assert.is(f.chargesTaken("order-o-5-charge"), 0);
    },
  );

  spec(
    "given a key already used, when a different amount is charged under it, then the request is refused as a caller bug and nothing more is taken",
    async (f) => {
      await f.gateway.charge(chargeOf("o-6", 4_200));

      const refused = await rejects(() => f.gateway.charge(chargeOf("o-6", 9_900)), PaymentRequestRefused);

      assert.is(refused.code, REFUSAL.keyReused);
      assert.is(f.chargesTaken("order-o-6-charge"), 1);
    },
  );

  spec(
    "given an amount of no minor units or no ISO currency, when it is charged, then the request is refused and nothing is taken",
    async (f) => {
      const zero = await rejects(() => f.gateway.charge(chargeOf("o-7", 0)), PaymentRequestRefused);
      const euros = { ...chargeOf("o-8"), amount: { amountMinor: 100, currency: "euro" } };
      const currency = await rejects(() => f.gateway.charge(euros), PaymentRequestRefused);

      assert.equal([zero.code, currency.code], [REFUSAL.invalidAmount, REFUSAL.invalidAmount]);
      assert.equal([f.chargesTaken("order-o-7-charge"), f.chargesTaken("order-o-8-charge")], [0, 0]);
    },
  );

  spec(
    "given an approved charge, when it is refunded, then the refund is made with a reference of its own",
    async (f) => {
      const charge = chargeOf("o-9");
      const reference = await approved(f.gateway, charge);

      const refund = await f.gateway.refund(refundOf(charge, reference));

      assert.is(refund.outcome, "refunded");
      assert.ok(refund.refundReference.length > 0 && refund.refundReference !== reference);
      assert.is(f.refundsMade("order-o-9-refund"), 1);
    },
  );

  spec(
    "given a refunded charge, when the refund is sent again under its key, then the same refund comes back and the money is returned once",
    async (f) => {
      const charge = chargeOf("o-10");
      const reference = await approved(f.gateway, charge);
      const first = await f.gateway.refund(refundOf(charge, reference));

      const again = await f.gateway.refund(refundOf(charge, reference));

      assert.equal(again, first);
      assert.is(f.refundsMade("order-o-10-refund"), 1);
    },
  );

  spec(
    "given a fully refunded charge, when more is refunded under a new key, then it is refused as exceeding the charge",
    async (f) => {
      const charge = chargeOf("o-11");
      const reference = await approved(f.gateway, charge);
      await f.gateway.refund(refundOf(charge, reference));

      const refused = await rejects(
        () => f.gateway.refund({ ...refundOf(charge, reference), idempotencyKey: "order-o-11-refund-2" }),
        PaymentRequestRefused,
      );

      assert.is(refused.code, REFUSAL.refundExceedsCharge);
      assert.is(f.refundsMade("order-o-11-refund-2"), 0);
    },
  );

  spec(
    "given no charge with a reference, when it is refunded, then the request is refused as an unknown payment",
    async (f) => {
      const refused = await rejects(
        () => f.gateway.refund(refundOf(chargeOf("o-12"), "no-such-payment")),
        PaymentRequestRefused,
      );

      assert.is(refused.code, REFUSAL.unknownPayment);
      assert.is(f.refundsMade("order-o-12-refund"), 0);
    },
  );

  it.run();
}
