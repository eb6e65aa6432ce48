import { isRight } from "fp-ts/lib/Either.js";
import * as assert from "uvu/assert";
import {
  hundredthsFromString,
  integer,
  isoDateTime,
  optional,
  strictObject,
  strictQuery,
  text,
} from "../../../src/adapters/http/codecs.js";
import { decode } from "../../../src/adapters/http/decode.js";
import { HttpError } from "../../../src/adapters/http/http-error.js";
import { ProductV1 } from "../../../src/adapters/product/http/v1-products.js";
import { ProductV2 } from "../../../src/adapters/product/http/v2-products.js";
import { test } from "../../support/uvu.js";

const stamp = "2026-01-01T00:00:00.000Z";

test("encoding through an output codec drops every undeclared field, at every depth", () => {
  const v1 = {
    id: "i",
    name: "n",
    sku: "s",
    price: 1,
    currency: "EUR",
    stock: 1,
    reserved: 0,
    available: 1,
    version: 1,
    created_at: stamp,
    updated_at: stamp,
  };
  assert.equal(ProductV1.encode({ ...v1, passwordHash: "x" } as typeof v1), v1);

  const v2 = {
    id: "i",
    name: "n",
    sku: "s",
    price: { amount: "0.01", currency: "EUR" },
    stock: { on_hand: 1, reserved: 0, available: 1 },
    version: 1,
    created_at: stamp,
    updated_at: stamp,
  };
  const leaky = {
    ...v2,
    token: "t",
    price: { ...v2.price, cost: "0.005" },
    stock: { ...v2.stock, supplier: "acme" },
  };
  assert.equal(ProductV2.encode(leaky as typeof v2), v2);
});

test("a strict input object reports unknown fields and invalid ones together, with paths", () => {
  const Body = strictObject({ name: text(1, 5), qty: integer(1, 9) });
  assert.ok(isRight(Body.decode({ name: "ok", qty: 2 })));
  try {
    decode(Body, { name: "too long", qty: 2, extra: true }, "body");
    assert.unreachable();
  } catch (error) {
    assert.instance(error, HttpError);
    assert.equal((error as HttpError).errors, [
      { path: "body.name", message: "expected text of 1 to 5 characters" },
      { path: "body.extra", message: "is not an accepted field" },
    ]);
  }
});

test("a body that is not an object at all is refused as such", () => {
  try {
    decode(strictObject({ name: text(1, 5) }), [1, 2], "body");
    assert.unreachable();
  } catch (error) {
    assert.equal((error as HttpError).errors, [{ path: "body", message: "expected a JSON object" }]);
  }
});

/** The 400 a decode throws, as the client sees its errors. */
function refusal(codec: Parameters<typeof decode>[0], value: unknown): { path: string; message: string }[] {
  try {
    decode(codec, value, "body");
  } catch (error) {
    if (error instanceof HttpError && error.status === 400) return [...(error.errors ?? [])];
    throw error;
  }
  throw new Error(`${JSON.stringify(value)} was accepted`);
}

test("given text with a NUL or a lone surrogate, the text codec refuses it, naming the field; emoji pass", () => {
  const Body = strictObject({ name: text(1, 200) });
  for (const bad of ["a\u0000b", "\udfff", "x\ud800"]) {
    assert.equal(refusal(Body, { name: bad }), [
      { path: "body.name", message: "must not contain NUL characters or unpaired UTF-16 surrogates" },
    ]);
  }
  assert.ok(isRight(Body.decode({ name: "chaise 🪑 longue" })));
});

test("given a strict body, inherited property names are unknown fields like any other", () => {
  const Body = strictObject({ name: text(1, 200) });
  for (const key of ["constructor", "toString", "valueOf", "hasOwnProperty", "__proto__"]) {
    const body = JSON.parse(`{"name":"x","${key}":1}`);
    assert.equal(refusal(Body, body), [{ path: `body.${key}`, message: "is not an accepted field" }], key);
  }
});

test("given a date-time, only RFC 3339 with a four-digit year from 0001 is accepted", () => {
  assert.ok(isRight(isoDateTime.decode("2030-01-31T12:00:00Z")));
  assert.ok(isRight(isoDateTime.decode("9999-12-31T23:59:59.999+02:00")));
  for (const bad of [
    "+010000-01-01T00:00:00Z",
    "0000-01-01T00:00:00Z",
    "2030-01-31",
    "tomorrow",
    "2030-13-01T00:00:00Z",
  ])
    assert.not.ok(isRight(isoDateTime.decode(bad)), bad);
});

test("given a date-time on a day its month does not have, or at 24:00, it is refused, not moved", () => {
  // Date.parse would take each of these as another day: March 2nd, May 1st, the next midnight.
  for (const bad of [
    "2030-02-30T00:00:00Z",
    "2030-04-31T00:00:00Z",
    "2029-02-29T00:00:00Z",
    "2030-01-01T24:00:00Z",
  ])
    assert.not.ok(isRight(isoDateTime.decode(bad)), bad);
  assert.ok(isRight(isoDateTime.decode("2028-02-29T00:00:00Z")), "a leap day");
});

test("given a query string, a parameter the route does not declare is refused by name", () => {
  const Query = strictQuery({ page: optional(text(1, 5)) });
  assert.ok(isRight(Query.decode({ page: "1" })));
  assert.equal(refusal(Query, { page: "1", pagesize: "5" }), [
    { path: "body.pagesize", message: "is not an accepted query parameter" },
  ]);
});

test("given a decimal filter, it is read as hundredths, up to two places and the maximum", () => {
  const Price = hundredthsFromString(1_000_000);
  assert.equal(
    ["19.99", "7", "0.5", "10000.00"].map((text) => Price.decode(text)).map((r) => isRight(r) && r.right),
    [1999, 700, 50, 1_000_000],
  );
  for (const bad of ["19.999", "-1", "1e3", "", "10000.01", " 1", "1."])
    assert.not.ok(isRight(Price.decode(bad)), bad);
});

test.run();
