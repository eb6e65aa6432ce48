import * as assert from "uvu/assert";
import { Order } from "../../../src/domain/order/order.js";
import { MixedCurrencies, ProductPricedTwice } from "../../../src/domain/order/order-errors.js";
import { MAX_LINE_QUANTITY, MAX_LINES } from "../../../src/domain/order/order-lines.js";
import { InvalidValue } from "../../../src/domain/shared/domain-error.js";
import { MAX_AMOUNT_MINOR, type Money, money } from "../../../src/domain/shared/money.js";
import { test } from "../../support/uvu.js";
import { ADDRESS, CHAIR, CUSTOMER_ID, LINES, NOW, ORDER_ID, TABLE } from "./fixtures.js";

function place(lines: readonly { productId: string; quantity: number; unitPrice: Money }[]): Order {
  return Order.place({ id: ORDER_ID, customerId: CUSTOMER_ID, lines, shippingAddress: ADDRESS }, NOW);
}

function refusal<E extends Error>(type: abstract new (...args: never[]) => E, action: () => unknown): E {
  try {
    action();
  } catch (error) {
    assert.instance(error, type);
    return error as E;
  }
  return assert.unreachable(`expected ${type.name}`) as never;
}

/** A distinct product id per index, for orders of many lines. */
const product = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`;

test("when an order is placed, then order.placed captures the customer, lines, unit prices, total and address", () => {
  const order = place(LINES);

  assert.equal(order.pendingEvents, [
    {
      type: "order.placed",
      aggregateId: ORDER_ID,
      version: 1,
      occurredAt: NOW.toISOString(),
      data: {
        customerId: CUSTOMER_ID,
        currency: "EUR",
        lines: [
          { productId: CHAIR, quantity: 2, unitPriceMinor: 12999 },
          { productId: TABLE, quantity: 1, unitPriceMinor: 45000 },
        ],
        totalMinor: 2 * 12999 + 45000,
        shippingAddress: ADDRESS,
      },
    },
  ]);
  assert.is(order.status, "placed");
  assert.equal(order.total, { amountMinor: 70998, currency: "EUR" });
  assert.is(order.customerId, CUSTOMER_ID);
});

test("when the same product is asked for on two lines, then it is one line with the summed quantity", () => {
  const order = place([
    { productId: CHAIR, quantity: 2, unitPrice: money(12999, "EUR") },
    { productId: TABLE, quantity: 1, unitPrice: money(45000, "EUR") },
    { productId: CHAIR.toUpperCase(), quantity: 3, unitPrice: money(12999, "EUR") },
  ]);

  assert.equal(order.lines, [
    { productId: CHAIR, quantity: 5, unitPriceMinor: 12999 },
    { productId: TABLE, quantity: 1, unitPriceMinor: 45000 },
  ]);
  assert.is(order.total.amountMinor, 5 * 12999 + 45000);
});

test("when merged lines reach exactly 1,000 units of a product, then the order is placed", () => {
  const order = place([
    { productId: CHAIR, quantity: 600, unitPrice: money(100, "EUR") },
    { productId: CHAIR, quantity: 400, unitPrice: money(100, "EUR") },
  ]);
  assert.equal(order.lines, [{ productId: CHAIR, quantity: MAX_LINE_QUANTITY, unitPriceMinor: 100 }]);
});

test("when merged lines go beyond 1,000 units of a product, then it is refused naming the line that did", () => {
  const error = refusal(InvalidValue, () =>
    place([
      { productId: CHAIR, quantity: 600, unitPrice: money(100, "EUR") },
      { productId: TABLE, quantity: 1, unitPrice: money(100, "EUR") },
      { productId: CHAIR, quantity: 401, unitPrice: money(100, "EUR") },
    ]),
  );
  assert.is(error.field, "lines[2].quantity");
  assert.match(error.message, /1001 units; at most 1000 of one product/);
});

test("when a line's quantity is 0, above 1,000, or not whole, then it is refused naming the line", () => {
  for (const quantity of [0, -1, MAX_LINE_QUANTITY + 1, 1.5, Number.NaN]) {
    const error = refusal(InvalidValue, () =>
      place([
        { productId: CHAIR, quantity: 1, unitPrice: money(1, "EUR") },
        { productId: TABLE, quantity, unitPrice: money(1, "EUR") },
      ]),
    );
    assert.is(error.field, "lines[1].quantity", String(quantity));
  }
});

test("when an order has no line, then it is refused; 50 products are placed, 51 refused", () => {
  assert.is(refusal(InvalidValue, () => place([])).field, "lines");

  const fifty = Array.from({ length: MAX_LINES }, (_, n) => ({
    productId: product(n),
    quantity: 1,
    unitPrice: money(100, "EUR"),
  }));
  assert.is(place(fifty).lines.length, 50);
  const fiftyOne = [...fifty, { productId: product(50), quantity: 1, unitPrice: money(100, "EUR") }];
  assert.is(refusal(InvalidValue, () => place(fiftyOne)).field, "lines");
});

test("when a line is priced in another currency than the first, then MixedCurrencies names it", () => {
  const error = refusal(MixedCurrencies, () =>
    place([
      { productId: CHAIR, quantity: 1, unitPrice: money(100, "EUR") },
      { productId: TABLE, quantity: 1, unitPrice: money(100, "USD") },
    ]),
  );
  assert.equal(
    [error.code, error.kind, error.lineIndex, error.expected, error.found],
    ["ORDER_CURRENCY_MISMATCH", "broken-rule", 1, "EUR", "USD"],
  );
});

test("when one product comes at two unit prices, then ProductPricedTwice: the lines cannot merge", () => {
  const error = refusal(ProductPricedTwice, () =>
    place([
      { productId: CHAIR, quantity: 1, unitPrice: money(100, "EUR") },
      { productId: CHAIR, quantity: 1, unitPrice: money(120, "EUR") },
    ]),
  );
  assert.equal(
    [error.code, error.productId, error.firstPriceMinor, error.secondPriceMinor],
    ["ORDER_PRODUCT_PRICED_TWICE", CHAIR, 100, 120],
  );
});

test("when a line's product id or unit price is not one, then it is refused under that line's field", () => {
  const badId = refusal(InvalidValue, () =>
    place([{ productId: "chair", quantity: 1, unitPrice: money(1, "EUR") }]),
  );
  assert.is(badId.field, "lines[0].productId");
  const badPrice = refusal(InvalidValue, () =>
    place([{ productId: CHAIR, quantity: 1, unitPrice: { amountMinor: -1, currency: "EUR" } }]),
  );
  assert.is(badPrice.field, "lines[0].unitPrice");
  const badCurrency = refusal(InvalidValue, () =>
    place([{ productId: CHAIR, quantity: 1, unitPrice: { amountMinor: 1, currency: "XBT" as "EUR" } }]),
  );
  assert.equal(
    [badCurrency.field, badCurrency.message],
    [
      "lines[0].unitPrice",
      "lines[0].unitPrice must be in one of AUD, CAD, CHF, CZK, DKK, EUR, GBP, JPY, KRW, NOK, PLN, SEK, USD",
    ],
  );
});

test("when the total would exceed the largest amount keel keeps, then it is refused; exactly that much is placed", () => {
  const most = place([
    { productId: CHAIR, quantity: 1000, unitPrice: money(MAX_AMOUNT_MINOR / 1000, "EUR") },
  ]);
  assert.is(most.total.amountMinor, MAX_AMOUNT_MINOR);

  const error = refusal(InvalidValue, () =>
    place([
      { productId: CHAIR, quantity: 1000, unitPrice: money(MAX_AMOUNT_MINOR, "EUR") },
      { productId: TABLE, quantity: 1000, unitPrice: money(MAX_AMOUNT_MINOR, "EUR") },
    ]),
  );
  assert.equal(
    [error.field, error.message],
    ["lines", `an order's total must be at most ${MAX_AMOUNT_MINOR} minor units`],
  );
});

test("when the order id or the customer id is not a UUID, then it is refused naming it", () => {
  const base = { lines: LINES, shippingAddress: ADDRESS };
  assert.is(
    refusal(InvalidValue, () => Order.place({ ...base, id: "1", customerId: CUSTOMER_ID }, NOW)).field,
    "orderId",
  );
  assert.is(
    refusal(InvalidValue, () => Order.place({ ...base, id: ORDER_ID, customerId: "ann" }, NOW)).field,
    "customerId",
  );
});

test.run();
