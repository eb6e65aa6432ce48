import { createHash } from "node:crypto";
import * as assert from "uvu/assert";
import { RandomOpaqueTokens } from "../../../src/adapters/security/random-opaque-tokens.js";
import { test } from "../../support/uvu.js";

const tokens = new RandomOpaqueTokens();

test("a generated secret is 256 random bits in base64url, stored as its SHA-256", () => {
  const seen = new Set<string>();
  for (let i = 0; i < 1000; i++) {
    const { secret, hash } = tokens.generate();
    assert.match(secret, /^[A-Za-z0-9_-]{43}$/);
    assert.is(Buffer.from(secret, "base64url").length, 32);
    assert.is(hash, createHash("sha256").update(secret).digest("hex"));
    assert.is(tokens.hashOf(secret), hash);
    seen.add(secret);
  }
  assert.is(seen.size, 1000, "no repeats");
});

test("hashes compare equal only when identical, whatever their lengths", () => {
  const { hash } = tokens.generate();
  assert.ok(tokens.sameHash(hash, `${hash}`));
  assert.not.ok(tokens.sameHash(hash, tokens.generate().hash));
  assert.not.ok(tokens.sameHash(hash, hash.slice(1)));
  assert.not.ok(tokens.sameHash(hash, ""));
});

test("a public id is 12 hex characters (the lookup prefix of an API key)", () => {
  assert.match(tokens.publicId(), /^[0-9a-f]{12}$/);
  assert.is.not(tokens.publicId(), tokens.publicId());
});

test.run();
