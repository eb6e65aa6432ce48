import * as assert from "uvu/assert";
import { createPinoLogger } from "../../../src/adapters/logging/pino-logger.js";
import { CapturedLog } from "../../support/captured-log.js";
import { test } from "../../support/uvu.js";

const live = <T>(value: T) => ({ get: () => value, subscribe: () => () => {} });

test("given fields that name credentials, when logged, then their values are replaced, at any level", () => {
  const out = new CapturedLog();
  const logger = createPinoLogger(live({ level: "trace" as const }), { pretty: false, destination: out });
  const secret = "s3cret-value-that-must-not-appear";
  logger.info(
    {
      password: secret,
      currentPassword: secret,
      newPassword: secret,
      passwordHash: secret,
      token: secret,
      refreshToken: secret,
      accessToken: secret,
      secretHash: secret,
      apiKey: secret,
      key: secret,
      headers: { authorization: `Bearer ${secret}`, "x-api-key": secret, accept: "application/json" },
      body: { password: secret, refresh_token: secret, client_secret: secret, username: "ann@example.com" },
      input: { password: secret, newPassword: secret, refreshToken: secret },
    },
    "sign-in",
  );
  logger.child({ requestId: "r1" }).debug({ req: { headers: { authorization: secret } } }, "child line");
  assert.not.ok(out.text().includes(secret), out.text());
  // biome-ignore lint/suspicious/noExplicitAny: log lines are read field by field
  const [line, child] = out.lines() as any[];
  assert.is(line.headers.accept, "application/json", "other fields stay");
  assert.is(line.body.username, "ann@example.com");
  assert.is(line.password, "[redacted]");
  assert.is(child.req.headers.authorization, "[redacted]");
});

test.run();
