import * as assert from "uvu/assert";
import { InvalidValue } from "../../../src/domain/shared/domain-error.js";
import { formatDecimal, money, parseDecimal } from "../../../src/domain/shared/money.js";
import { test } from "../../support/uvu.js";

test("money keeps whole minor units of a supported currency, upper-casing its code", () => {
  assert.equal(money(1999, "eur"), { amountMinor: 1999, currency: "EUR" });
});

test("money refuses negative, fractional and unsafe amounts and unknown currencies", () => {
  for (const [amount, code] of [
    [-1, "EUR"],
    [1.5, "EUR"],
    [2 ** 53, "EUR"],
    [1, "XXX"],
    [1, "euro"],
  ] as const) {
    assert.throws(
      () => money(amount, code),
      (e: unknown) => e instanceof InvalidValue,
      `${amount} ${code}`,
    );
  }
});

test("decimal amounts convert exactly both ways, by the currency's exponent", () => {
  assert.is(formatDecimal(money(1999, "EUR")), "19.99");
  assert.is(formatDecimal(money(5, "EUR")), "0.05");
  assert.is(formatDecimal(money(500, "JPY")), "500");
  assert.equal(parseDecimal("19.99", "EUR"), money(1999, "EUR"));
  assert.equal(parseDecimal("19.9", "EUR"), money(1990, "EUR"));
  assert.equal(parseDecimal("7", "EUR"), money(700, "EUR"));
  assert.equal(parseDecimal("500", "JPY"), money(500, "JPY"));
});

test("decimal amounts with more places than the currency has, or not decimals at all, are refused", () => {
  for (const [amount, code] of [
    ["1.999", "EUR"],
    ["1.5", "JPY"],
    ["-1", "EUR"],
    ["1e3", "EUR"],
    ["", "EUR"],
  ]) {
    assert.throws(
      () => parseDecimal(amount as string, code as string),
      (e: unknown) => e instanceof InvalidValue,
    );
  }
});

test.run();
