import * as assert from "uvu/assert";
import { COUNTRY_CODES } from "../../../src/domain/order/country-codes.js";
import { type ShippingAddress, shippingAddress } from "../../../src/domain/order/shipping-address.js";
import { InvalidValue } from "../../../src/domain/shared/domain-error.js";
import { test } from "../../support/uvu.js";
import { ADDRESS } from "./fixtures.js";

function refusedField(input: ShippingAddress): string {
  try {
    shippingAddress(input);
  } catch (error) {
    assert.instance(error, InvalidValue);
    return (error as InvalidValue).field;
  }
  return assert.unreachable("expected InvalidValue") as never;
}

test("given an address typed loosely, when checked, then its text is trimmed and collapsed, postal code and country upper-cased", () => {
  assert.equal(
    shippingAddress({
      name: "  Ann   Lee ",
      lines: [" 10  Downing Street "],
      city: " London ",
      postalCode: " sw1a   2aa ",
      country: " gb ",
    }),
    { name: "Ann Lee", lines: ["10 Downing Street"], city: "London", postalCode: "SW1A 2AA", country: "GB" },
  );
});

test("given national postal code formats, when checked, then each is accepted", () => {
  for (const postalCode of ["10115", "1010-001", "H3Z 2Y7", "SW1A 1AA", "100-0001", "9"]) {
    assert.is(shippingAddress({ ...ADDRESS, postalCode }).postalCode, postalCode);
  }
});

test("given a postal code that is free text, too long, or starts or ends with a separator, when checked, then it is refused", () => {
  for (const postalCode of ["", "  ", "10115!", "-10115", "10115-", "1234567890ABCDEFG", "10 -15"]) {
    assert.is(refusedField({ ...ADDRESS, postalCode }), "shippingAddress.postalCode", postalCode);
  }
});

test("given a country that is not an assigned ISO 3166-1 alpha-2 code, when checked, then it is refused", () => {
  for (const country of ["XX", "DEU", "D", "", "EU", "UK"]) {
    assert.is(refusedField({ ...ADDRESS, country }), "shippingAddress.country", country);
  }
});

test("given no address line or more than three, when checked, then it is refused; three are kept in order", () => {
  assert.is(refusedField({ ...ADDRESS, lines: [] }), "shippingAddress.lines");
  assert.is(refusedField({ ...ADDRESS, lines: ["a", "b", "c", "d"] }), "shippingAddress.lines");
  assert.equal(shippingAddress({ ...ADDRESS, lines: ["c", "a", "b"] }).lines, ["c", "a", "b"]);
});

test("given a blank, over-long or unstorable part, when checked, then the refusal names that part", () => {
  assert.is(refusedField({ ...ADDRESS, name: "   " }), "shippingAddress.name");
  assert.is(refusedField({ ...ADDRESS, lines: ["Main St 1", " "] }), "shippingAddress.lines[1]");
  assert.is(refusedField({ ...ADDRESS, lines: ["x".repeat(101)] }), "shippingAddress.lines[0]");
  assert.is(refusedField({ ...ADDRESS, city: "" }), "shippingAddress.city");
  assert.is(refusedField({ ...ADDRESS, city: "Berlin\u0000" }), "shippingAddress.city");
  assert.is(refusedField({ ...ADDRESS, lines: ["Main St \ud800"] }), "shippingAddress.lines[0]");
  assert.is(refusedField({ ...ADDRESS, postalCode: "1011\u0000" }), "shippingAddress.postalCode");
});

test("the country list holds the 249 assigned codes, each a region the platform's ICU data names", () => {
  const regions = new Intl.DisplayNames(["en"], { type: "region", fallback: "none" });
  assert.is(COUNTRY_CODES.size, 249);
  const unnamed = [...COUNTRY_CODES].filter((code) => regions.of(code) === undefined);
  assert.equal(unnamed, []);
});

test.run();
