import * as assert from "uvu/assert";
import { RefreshTokens } from "../../../src/ports/auth/refresh-tokens.js";
import { Clock } from "../../../src/ports/clock.js";
import { OpaqueTokens } from "../../../src/ports/opaque-tokens.js";
import { UnitOfWork } from "../../../src/ports/unit-of-work.js";
import { UserRepository } from "../../../src/ports/user/user-repository.js";
import { registerAndSignIn, tokenRequest } from "../../support/auth.js";
import { startTestServer } from "../../support/test-server.js";
import { test } from "../../support/uvu.js";

/*
 * DeactivateUser revokes the account's refresh tokens in its own transaction, so a refresh normally
 * fails as "revoked". A refresh that read its token before that transaction committed still meets a
 * deactivated account: RefreshSession checks the account itself and ends the family. Here the
 * deactivation is saved without the revocation, which is what such a refresh sees.
 */
test("given a live refresh token of an account deactivated since, when it is used, then invalid_grant and its whole family is revoked", async () => {
  const server = await startTestServer();
  try {
    const login = await registerAndSignIn(server.url, "deactivated.meanwhile@example.com");
    const rotated = await tokenRequest(server.url, {
      grant_type: "refresh_token",
      refresh_token: login.refreshToken,
    });
    assert.is(rotated.status, 200);
    const newest: string = rotated.body.refresh_token;

    const users = server.container.get<UserRepository>(UserRepository);
    const clock = server.container.get<Clock>(Clock);
    await server.container
      .get<UnitOfWork>(UnitOfWork)
      .run({ correlationId: "deactivated-meanwhile", principal: "system:test" }, async () => {
        const user = await users.get(login.userId);
        if (user === undefined) throw new Error("the account was not stored");
        user.deactivate(clock.now());
        await users.save(user);
      });

    const refused = await tokenRequest(server.url, { grant_type: "refresh_token", refresh_token: newest });

    assert.equal([refused.status, refused.body.error], [400, "invalid_grant"]);
    const tokens = server.container.get<RefreshTokens>(RefreshTokens);
    const secrets = server.container.get<OpaqueTokens>(OpaqueTokens);
    for (const secret of [login.refreshToken, newest]) {
      const record = await tokens.findBySecretHash(secrets.hashOf(secret));
      assert.ok(record?.revokedAt !== undefined, "every token of the family is revoked");
    }
  } finally {
    await server.stop();
  }
});

test.run();
