import * as assert from "uvu/assert";
import { Product } from "../../../src/domain/product/product.js";
import { InvalidValue } from "../../../src/domain/shared/domain-error.js";
import { NAME_MAX_LENGTH, name } from "../../../src/domain/shared/name.js";
import { test } from "../../support/uvu.js";
import { created, NOW } from "../product/fixtures.js";

function refusal(action: () => unknown): InvalidValue {
  try {
    action();
  } catch (error) {
    assert.instance(error, InvalidValue);
    return error as InvalidValue;
  }
  return assert.unreachable("expected an InvalidValue") as never;
}

test("when a name is given with outer and repeated inner whitespace, then it is trimmed and collapsed to single spaces", () => {
  assert.is(name("name", "  Oak \t\n chair   large "), "Oak chair large");
});

test("when a name is empty or only whitespace, then it is refused as blank, naming the field", () => {
  for (const value of ["", "   ", "\t\n"]) {
    const error = refusal(() => name("familyName", value));
    assert.is(error.field, "familyName");
    assert.is(error.message, "familyName must not be blank");
  }
});

test("when a name is exactly 200 characters, then it is kept; at 201 it is refused, naming the field and the bound", () => {
  assert.is(NAME_MAX_LENGTH, 200);
  assert.is(name("name", "a".repeat(200)).length, 200);

  const error = refusal(() => name("givenName", "a".repeat(201)));
  assert.is(error.field, "givenName");
  assert.is(error.message, "givenName must be at most 200 characters");
});

test("when a name is over 200 characters only before whitespace is collapsed, then it is kept: the bound applies to the normalised name", () => {
  const padded = `  ${"a".repeat(100)}${" ".repeat(50)}${"b".repeat(99)}  `;
  assert.ok(padded.length > 200);
  assert.is(name("name", padded).length, 200);
});

test("given a product, when it is renamed to 201 characters, then InvalidValue and nothing is recorded", () => {
  const product = Product.fromHistory([created()]);
  refusal(() => product.rename("x".repeat(201), NOW));
  assert.is(product.pendingEvents.length, 0);
  assert.is(product.snapshot().name, "Widget");
});

test.run();
