import * as assert from "uvu/assert";
import { Order } from "../../../src/domain/order/order.js";
import { InvalidValue } from "../../../src/domain/shared/domain-error.js";
import { money } from "../../../src/domain/shared/money.js";
import { test } from "../../support/uvu.js";
import { ADDRESS, CHAIR, CUSTOMER_ID, NOW, ORDER_ID, TABLE } from "./fixtures.js";

const place = (lines: Parameters<typeof Order.place>[0]["lines"]) =>
  Order.place({ id: ORDER_ID, customerId: CUSTOMER_ID, lines, shippingAddress: ADDRESS }, NOW);

test("given product names at placement, when the order is placed, then each line keeps its name, trimmed", () => {
  const order = place([
    { productId: CHAIR, quantity: 1, unitPrice: money(12999, "EUR"), productName: "  Oak chair " },
    { productId: TABLE, quantity: 1, unitPrice: money(45000, "EUR") },
  ]);
  assert.equal(order.lines, [
    { productId: CHAIR, quantity: 1, unitPriceMinor: 12999, productName: "Oak chair" },
    { productId: TABLE, quantity: 1, unitPriceMinor: 45000 },
  ]);
  assert.equal(Order.fromHistory(order.pendingEvents).snapshot(), order.snapshot());
});

test("given one product asked for twice under two names, then the merged line keeps the first name", () => {
  const order = place([
    { productId: CHAIR, quantity: 1, unitPrice: money(100, "EUR"), productName: "Oak chair" },
    { productId: CHAIR, quantity: 2, unitPrice: money(100, "EUR"), productName: "Chair (oak)" },
  ]);
  assert.equal(order.lines, [
    { productId: CHAIR, quantity: 3, unitPriceMinor: 100, productName: "Oak chair" },
  ]);
});

test("when a line's name is blank or too long, then InvalidValue names the line's field", () => {
  for (const productName of ["   ", "x".repeat(201)]) {
    try {
      place([{ productId: CHAIR, quantity: 1, unitPrice: money(100, "EUR"), productName }]);
      assert.unreachable("expected InvalidValue");
    } catch (error) {
      assert.instance(error, InvalidValue);
      assert.is((error as InvalidValue).field, "lines[0].productName");
    }
  }
});

test.run();
