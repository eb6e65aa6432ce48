import * as assert from "uvu/assert";
import { InvalidValue } from "../../../src/domain/shared/domain-error.js";
import { checkPassword } from "../../../src/domain/user/password-policy.js";
import { test } from "../../support/uvu.js";

const policy = { minLength: 12 };

function refusal(plain: string, email = "ann@example.com"): string | undefined {
  try {
    checkPassword("password", plain, email, policy);
    return undefined;
  } catch (error) {
    assert.instance(error, InvalidValue);
    return (error as InvalidValue).message;
  }
}

test("length decides, counted in characters as people see them, not in composition rules", () => {
  assert.is(refusal("elevenchars"), "password must be at least 12 characters long");
  assert.is(refusal("twelve chars"), undefined);
  assert.is(refusal("all lowercase words are fine"), undefined);
  assert.is(refusal("ü".repeat(12)), undefined, "12 characters, 24 bytes");
  assert.is(refusal("x".repeat(257)), "password must be at most 256 characters long");
});

test("the account's own e-mail address is refused as its password, whatever its case", () => {
  assert.is(refusal("Ann@Example.com", "ann@example.com"), "password must not be the e-mail address");
});

test.run();
