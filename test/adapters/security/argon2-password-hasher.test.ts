import * as assert from "uvu/assert";
import {
  Argon2PasswordHasher,
  defaultArgon2Options,
  owaspArgon2idFloor,
} from "../../../src/adapters/security/argon2-password-hasher.js";
import { test } from "../../support/uvu.js";

// Far below the OWASP floor so the suite stays fast; only allowed with allowWeak.
const fast = { memoryCostKiB: 256, timeCost: 1, parallelism: 1, allowWeak: true } as const;
const password = "correct horse battery staple";

/** The algorithm, version and parameters of a PHC string, parameters sorted (argon2 orders them m, p, t). */
function header(hash: string): string {
  const [, id, version, params] = hash.split("$");
  return `${id}$${version}$${(params ?? "").split(",").sort().join(",")}`;
}

test("given the default options, when a password is hashed, then it verifies and the hash is argon2id at the OWASP floor", async () => {
  const hasher = new Argon2PasswordHasher();

  const hash = await hasher.hash(password);

  assert.is(header(hash), "argon2id$v=19$m=19456,p=1,t=2");
  assert.is(await hasher.verify(hash, password), true);
  assert.is(hasher.needsRehash(hash), false);
});

test("given the defaults, when compared with OWASP's argon2id minimum, then none is below it", () => {
  assert.ok(defaultArgon2Options.memoryCostKiB >= 19 * 1024);
  assert.ok(defaultArgon2Options.timeCost >= 2);
  assert.ok(defaultArgon2Options.parallelism >= 1);
  assert.equal(owaspArgon2idFloor, { memoryCostKiB: 19_456, timeCost: 2, parallelism: 1 });
});

test("given a hash of a password, when verified with the same password, then it is true", async () => {
  const hasher = new Argon2PasswordHasher(fast);

  const hash = await hasher.hash(password);

  assert.is(await hasher.verify(hash, password), true);
});

test("given a hash of a password, when verified with another password, then it is false", async () => {
  const hasher = new Argon2PasswordHasher(fast);
  const hash = await hasher.hash(password);

  assert.is(await hasher.verify(hash, "correct horse battery stapl"), false);
  assert.is(await hasher.verify(hash, ""), false);
  assert.is(await hasher.verify(hash, `${password} `), false);
});

test("given the same password hashed twice, when the hashes are compared, then they differ and hold no plaintext", async () => {
  const hasher = new Argon2PasswordHasher(fast);

  const first = await hasher.hash(password);
  const second = await hasher.hash(password);

  assert.is.not(first, second);
  for (const hash of [first, second]) {
    assert.not.ok(hash.includes(password));
    assert.not.ok(hash.includes(Buffer.from(password).toString("base64").replace(/=+$/, "")));
    assert.is(header(hash), "argon2id$v=19$m=256,p=1,t=1");
  }
  assert.is(await hasher.verify(second, password), true);
});

test("given malformed or foreign hash strings, when verified, then each is false and nothing throws", async () => {
  const hasher = new Argon2PasswordHasher(fast);
  const valid = await hasher.hash(password);
  const malformed = [
    "",
    "not a hash",
    password,
    "$argon2id$",
    "$argon2id$v=19$m=256,t=1,p=1$",
    "$argon2id$v=19$m=abc,t=1,p=1$c2FsdHNhbHRzYWx0$aGFzaA",
    "$argon2id$v=19$m=256,t=1$c2FsdHNhbHRzYWx0$aGFzaA",
    "$argon2id$v=19$m=1,t=0,p=0$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA",
    "$argon2id$v=19$m=256,t=1,p=1$c2FsdA$aGFzaGhhc2hoYXNoaGFzaA",
    "$argon2x$v=19$m=256,t=1,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA",
    "$2b$12$R9h/cIPz0gi.URNNX3kh2OPST9/PgBkqquzi.Ss7KIUgO2t0jWMUW",
    valid.slice(0, -10),
    `${valid}$extra`,
    valid.replace("$argon2id$", "$argon2i$"),
  ];

  for (const hash of malformed) {
    assert.is(await hasher.verify(hash, password), false, `verify(${JSON.stringify(hash)})`);
  }
});

test("given a hash made with the configured parameters, when checked for rehash, then it is not needed", async () => {
  const hasher = new Argon2PasswordHasher(fast);

  assert.is(hasher.needsRehash(await hasher.hash(password)), false);
});

test("given a hash made with another memory cost, when checked for rehash, then it is needed", async () => {
  const hash = await new Argon2PasswordHasher(fast).hash(password);

  assert.is(new Argon2PasswordHasher({ ...fast, memoryCostKiB: 512 }).needsRehash(hash), true);
});

test("given a hash made with another time cost, when checked for rehash, then it is needed", async () => {
  const hash = await new Argon2PasswordHasher(fast).hash(password);

  assert.is(new Argon2PasswordHasher({ ...fast, timeCost: 2 }).needsRehash(hash), true);
});

test("given a hash made with another parallelism, when checked for rehash, then it is needed", async () => {
  const hash = await new Argon2PasswordHasher(fast).hash(password);

  assert.is(new Argon2PasswordHasher({ ...fast, parallelism: 2 }).needsRehash(hash), true);
});

test("given an argon2i hash with the configured parameters, when checked for rehash, then it is needed", async () => {
  const hasher = new Argon2PasswordHasher(fast);
  const argon2i = (await hasher.hash(password)).replace("$argon2id$", "$argon2i$");

  assert.is(hasher.needsRehash(argon2i), true);
});

test("given a bcrypt or malformed hash, when checked for rehash, then it is needed and nothing throws", () => {
  const hasher = new Argon2PasswordHasher(fast);

  assert.is(hasher.needsRehash("$2b$12$R9h/cIPz0gi.URNNX3kh2OPST9/PgBkqquzi.Ss7KIUgO2t0jWMUW"), true);
  assert.is(hasher.needsRehash(""), true);
  assert.is(hasher.needsRehash("$argon2id$v=19$m=256"), true);
});

test("given options below the OWASP floor, when the hasher is built without allowWeak, then it is refused", () => {
  const floor = { ...defaultArgon2Options };

  assert.throws(() => new Argon2PasswordHasher({ ...floor, memoryCostKiB: 19_455 }), /memoryCostKiB/);
  assert.throws(() => new Argon2PasswordHasher({ ...floor, timeCost: 1 }), /timeCost/);
  assert.throws(() => new Argon2PasswordHasher({ ...floor, parallelism: 0 }), /parallelism/);
  assert.throws(() => new Argon2PasswordHasher({ ...fast, allowWeak: false }), /memoryCostKiB/);
  assert.not.throws(() => new Argon2PasswordHasher({ ...floor, memoryCostKiB: 65_536, timeCost: 3 }));
});

test("given non-integer or impossible options, when the hasher is built even with allowWeak, then it is refused", () => {
  assert.throws(() => new Argon2PasswordHasher({ ...fast, timeCost: 1.5 }), /timeCost/);
  assert.throws(() => new Argon2PasswordHasher({ ...fast, memoryCostKiB: Number.NaN }), /memoryCostKiB/);
  assert.throws(() => new Argon2PasswordHasher({ ...fast, timeCost: 0 }), /timeCost/);
  assert.throws(
    () => new Argon2PasswordHasher({ ...fast, memoryCostKiB: 15, parallelism: 2 }),
    /memoryCostKiB/,
  );
});

test.run();
