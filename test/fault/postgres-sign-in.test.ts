/**
 * Fault test (issue "PostgreSQL faults"): signing in while the database is away. `keel serve` in the
 * production profile, its PostgreSQL behind a proxy that refuses connections. A correct password must
 * never be told invalid_grant (the account exists; keel just cannot look), the attempts must not count
 * against the login throttle (or the owner is locked out once the database is back), and sign-in must
 * work on the first attempt after the database returns.
 */
import { randomBytes } from "node:crypto";
import * as assert from "uvu/assert";
import { postgresDecision } from "../support/postgres.js";
import { ProductionStack, STACK_ADMIN } from "../support/production-stack.js";
import { redisDecision } from "../support/redis.js";
import { type ServiceDecision, serviceTest } from "../support/services.js";
import { type Answer, timed } from "../support/stack-requests.js";
import { test } from "../support/uvu.js";
import { BOUND_MS, databaseFaultEnv } from "./postgres-fault-stack.js";

/** Failed sign-ins per username before 429; the outage sends more attempts than this. */
const USERNAME_POINTS = 3;
const ATTEMPTS_DURING_OUTAGE = 2 * USERNAME_POINTS;

async function decision(): Promise<ServiceDecision> {
  const postgres = await postgresDecision();
  return postgres.run ? redisDecision() : postgres;
}

function passwordGrant(stack: ProductionStack, username: string, password: string): Promise<Answer> {
  return timed(`${stack.url("serve")}/api/v1/auth/token`, {
    method: "POST",
    form: { grant_type: "password", username, password },
  });
}

serviceTest(
  await decision(),
  "given PostgreSQL is down, when the owner signs in with the correct password again and again, then every attempt is 503 temporarily_unavailable with Retry-After, none counts, and once the database returns the attempts are judged on the password at once, with the whole budget left",
  async () => {
    // An account of its own: the login counters live in the shared Redis, keyed by username.
    const owner = `owner-${randomBytes(4).toString("hex")}@keel.test`;
    const stack = await ProductionStack.start({
      processes: ["serve"],
      env: databaseFaultEnv({
        AUTH__BOOTSTRAP_ADMIN__EMAIL: owner,
        RATE_LIMIT__LOGIN__USERNAME_POINTS: String(USERNAME_POINTS),
      }),
    });
    try {
      assert.is((await passwordGrant(stack, owner, STACK_ADMIN.password)).status, 200, "signs in while up");

      stack.postgres.set("refuse");
      const during: Answer[] = [];
      for (let i = 0; i < ATTEMPTS_DURING_OUTAGE; i++) {
        during.push(await passwordGrant(stack, owner, STACK_ADMIN.password));
      }
      const notAnAddress = await passwordGrant(
        stack,
        `not-an-address-${randomBytes(4).toString("hex")}`,
        STACK_ADMIN.password,
      );

      stack.postgres.pass();
      // Had even one attempt of the outage counted, the last of these would be 429: USERNAME_POINTS - 1
      // wrong passwords and then the right one fill the budget exactly.
      const wrong: Answer[] = [];
      for (let i = 0; i < USERNAME_POINTS - 1; i++) {
        wrong.push(await passwordGrant(stack, owner, "not the password"));
      }
      const right = await passwordGrant(stack, owner, STACK_ADMIN.password);

      console.log(
        [
          `  during the outage: ${during.map((a) => `${a.status} ${a.code} (Retry-After ${a.retryAfter}, ${Math.round(a.ms)} ms)`).join("; ")}`,
          `  a username that is not an address, during the outage: ${notAnAddress.status} ${notAnAddress.code}`,
          `  once the database is back: ${wrong.map((a) => `${a.status} ${a.code}`).join(", ")} for wrong passwords, ` +
            `then ${right.status} for the right one (${Math.round(right.ms)} ms)`,
        ].join("\n"),
      );

      for (const answer of during) {
        assert.is(answer.status, 503, `during the outage: ${answer.status} ${answer.code}`);
        assert.is(answer.code, "temporarily_unavailable");
        assert.ok(Number(answer.retryAfter) >= 1, "Retry-After says when to try again");
        assert.ok(answer.ms <= BOUND_MS, `answered in ${Math.round(answer.ms)} ms`);
      }
      assert.is(notAnAddress.status, 400, "what is not an address is still refused as unknown");
      assert.is(notAnAddress.code, "invalid_grant");
      assert.equal(
        wrong.map((a) => `${a.status} ${a.code}`),
        Array(USERNAME_POINTS - 1).fill("400 invalid_grant"),
        "the first attempts after the outage are judged on the password",
      );
      assert.is(right.status, 200, `the right password signs in: ${right.status} ${right.code}`);
      assert.ok(typeof right.body.access_token === "string");
      assert.ok(stack.alive("serve"), "serve is still running");
    } finally {
      await stack.stop();
    }
  },
);

test.run();
