import * as assert from "uvu/assert";
import { sku } from "../../../src/domain/product/sku.js";
import { InvalidValue } from "../../../src/domain/shared/domain-error.js";
import { name } from "../../../src/domain/shared/name.js";
import { isStorableText } from "../../../src/domain/shared/storable-text.js";
import { email } from "../../../src/domain/user/email.js";
import { checkPassword } from "../../../src/domain/user/password-policy.js";
import { roleNames } from "../../../src/domain/user/role-names.js";
import { test } from "../../support/uvu.js";

/** Text PostgreSQL cannot keep: a NUL, a lone high surrogate, a lone low surrogate, a pair reversed. */
const UNSTORABLE = ["a\u0000b", "a\ud800b", "a\udc00b", "a\udc00\ud800b"];

function refusal(action: () => unknown): InvalidValue {
  try {
    action();
  } catch (error) {
    assert.instance(error, InvalidValue);
    return error as InvalidValue;
  }
  return assert.unreachable("expected an InvalidValue") as never;
}

test("well-formed text is storable, emoji (a surrogate pair) included; NUL and lone surrogates are not", () => {
  assert.ok(isStorableText("Zoë 🪑 椅子"));
  for (const value of UNSTORABLE) assert.not.ok(isStorableText(value), JSON.stringify(value));
});

test("when a name holds text keel cannot store, then it is refused naming the field", () => {
  for (const value of UNSTORABLE) {
    const error = refusal(() => name("givenName", value));
    assert.is(error.field, "givenName");
    assert.match(error.message, /^givenName must not contain NUL/);
  }
  assert.is(name("name", "Oak 🪑 chair"), "Oak 🪑 chair");
});

test("when an e-mail address, a SKU or a role holds such text, then it is refused", () => {
  for (const value of UNSTORABLE) {
    assert.is(refusal(() => email(`ann${value}@example.com`)).field, "email");
    assert.is(refusal(() => sku(`SKU${value}`)).field, "sku");
    assert.is(refusal(() => roleNames([`role${value}`])).field, "roles");
  }
});

test("when a password holds such text, then it is refused (hashed as UTF-8, two would verify alike)", () => {
  const error = refusal(() =>
    checkPassword("password", "a long enough pass\ud800phrase", "ann@example.com", { minLength: 12 }),
  );
  assert.is(error.field, "password");
});

test.run();
