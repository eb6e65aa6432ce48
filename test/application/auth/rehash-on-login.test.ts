import * as assert from "uvu/assert";
import { Argon2PasswordHasher } from "../../../src/adapters/security/argon2-password-hasher.js";
import { PasswordHasher } from "../../../src/ports/password-hasher.js";
import { Credentials } from "../../../src/ports/user/credentials.js";
import { registerAndSignIn, signIn } from "../../support/auth.js";
import { startTestServer } from "../../support/test-server.js";
import { test } from "../../support/uvu.js";

/** A hasher whose parameters the test changes, as an operator would by raising ARGON2__* and restarting. */
class AdjustableHasher implements PasswordHasher {
  current: PasswordHasher;

  constructor(first: PasswordHasher) {
    this.current = first;
  }

  hash(plain: string) {
    return this.current.hash(plain);
  }

  verify(hash: string, plain: string) {
    return this.current.verify(hash, plain);
  }

  needsRehash(hash: string) {
    return this.current.needsRehash(hash);
  }
}

test("given a hash made with older argon2 parameters, when the account signs in, then its hash is redone with the current ones", async () => {
  const hasher = new AdjustableHasher(
    new Argon2PasswordHasher({ memoryCostKiB: 4096, timeCost: 1, parallelism: 1, allowWeak: true }),
  );
  const server = await startTestServer({
    overrides: (c) => c.rebind(PasswordHasher).toConstantValue(hasher),
  });
  try {
    const { userId } = await registerAndSignIn(server.url, "rehash@example.com");
    const credentials = server.container.get<Credentials>(Credentials);
    const before = await credentials.passwordHash(userId);
    assert.match(before ?? "", /^\$argon2id\$v=19\$m=4096,p=1,t=1\$/);

    hasher.current = new Argon2PasswordHasher({ memoryCostKiB: 19456, timeCost: 2, parallelism: 1 });
    await signIn(server.url, "rehash@example.com", "a long enough passphrase");

    const after = await credentials.passwordHash(userId);
    assert.match(after ?? "", /^\$argon2id\$v=19\$m=19456,p=1,t=2\$/);
    // And the new hash is the one that works from now on.
    await signIn(server.url, "rehash@example.com", "a long enough passphrase");
    assert.is(await credentials.passwordHash(userId), after, "a current hash is left alone");
  } finally {
    await server.stop();
  }
});

test.run();
