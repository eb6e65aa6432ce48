import { inspect } from "node:util";
import * as assert from "uvu/assert";
import {
  HttpPaymentGateway,
  PAYMENT_GATEWAY_RETRY_AFTER_S,
  retryAfterSeconds,
  UnreadablePaymentAnswer,
} from "../../../../src/adapters/order/payment/http-payment-gateway.js";
import { PaymentRequestRefused } from "../../../../src/adapters/order/payment/payment-request-refused.js";
import { DependencyUnavailable } from "../../../../src/ports/dependency-unavailable.js";
import type { ChargeRequest } from "../../../../src/ports/order/payment-gateway.js";
import { eventually } from "../../../support/eventually.js";
import { freePort } from "../../../support/free-port.js";
import { rejects } from "../../../support/rejects.js";
import { suite } from "../../../support/uvu.js";
import { type FakePaymentGateway, startFakePaymentGateway } from "./fake-payment-gateway.js";

/** Short, so a stalled gateway fails the call quickly; the bound asserted is far above it. */
const TIMEOUT_MS = 300;
/** Generous on a loaded machine: only a call that ignores its timeout altogether comes near it. */
const GENEROUS_BOUND_MS = 15_000;

const charge: ChargeRequest = {
  idempotencyKey: "order-o-1-charge",
  orderId: "o-1",
  amount: { amountMinor: 4_200, currency: "EUR" },
};

const gatewayFor = (fake: FakePaymentGateway, apiKey = fake.apiKey) =>
  new HttpPaymentGateway({ baseUrl: fake.baseUrl, apiKey, timeoutMs: TIMEOUT_MS });

/** Rejects with a marker if `call` has not settled by the bound, so "it timed out" cannot pass by hanging. */
async function withinBound<T>(call: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const bound = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`no answer within ${GENEROUS_BOUND_MS} ms`)),
      GENEROUS_BOUND_MS,
    );
  });
  try {
    return await Promise.race([call, bound]);
  } finally {
    clearTimeout(timer);
  }
}

/** Everything an error would show a log: message, stack, causes and fields, however deep. */
const everything = (error: unknown) => inspect(error, { depth: null, showHidden: true });

const it = suite("HttpPaymentGateway");
const spec = (title: string, body: (fake: FakePaymentGateway) => Promise<void>) =>
  it(title, async () => {
    const fake = await startFakePaymentGateway();
    try {
      await body(fake);
    } finally {
      await fake.close();
    }
  });

spec(
  "when it charges, then it posts the order and amount with the request's Idempotency-Key and its API key as a bearer token",
  async (fake) => {
    await gatewayFor(fake).charge(charge);

    assert.equal(fake.received, [
      {
        path: "/v1/charges",
        idempotencyKey: "order-o-1-charge",
        authorization: `Bearer ${fake.apiKey}`,
        body: { orderId: "o-1", amount: { amountMinor: 4_200, currency: "EUR" } },
      },
    ]);
  },
);

spec(
  "given a gateway that never answers, when it charges, then it fails with DependencyUnavailable(payment-gateway) long before a generous bound",
  async (fake) => {
    fake.next({ kind: "stall" });

    const error = await rejects(() => withinBound(gatewayFor(fake).charge(charge)), DependencyUnavailable);

    assert.is(error.dependency, "payment-gateway");
    assert.is(error.retryAfterSeconds, PAYMENT_GATEWAY_RETRY_AFTER_S);
    assert.match(String((error.cause as Error).message), `did not answer within ${TIMEOUT_MS} ms`);
  },
);

spec(
  "given a gateway that charged but answered too late, when the caller retries with the same key, then it gets the approval and the money was taken once",
  async (fake) => {
    fake.next({ kind: "late" });
    const gateway = gatewayFor(fake);
    await rejects(() => withinBound(gateway.charge(charge)), DependencyUnavailable);
    // The gateway decides when the request arrives, which on a loaded machine may come after the caller gave up.
    await eventually(
      "the late gateway to take the charge",
      () => fake.chargesTaken(charge.idempotencyKey),
      (n) => n === 1,
    );

    const retried = await gateway.charge(charge);

    assert.is(retried.outcome, "approved");
    assert.is(fake.chargesTaken(charge.idempotencyKey), 1);
    assert.is(fake.replays(charge.idempotencyKey), 1);
  },
);

spec(
  "given a gateway whose answer is lost after it charged, when the caller retries, then the second report of the payment is the same approval and nothing is taken twice",
  async (fake) => {
    fake.next({ kind: "drop-answer" });
    const gateway = gatewayFor(fake);
    await rejects(() => gateway.charge(charge), DependencyUnavailable);

    const retried = await gateway.charge(charge);
    const again = await gateway.charge(charge);

    assert.is(retried.outcome, "approved");
    assert.equal(again, retried);
    assert.is(fake.chargesTaken(charge.idempotencyKey), 1);
    assert.is(fake.replays(charge.idempotencyKey), 2);
  },
);

spec(
  "given a gateway failing twice with 503 and Retry-After, when the caller retries, then each failure is DependencyUnavailable with that hint, and the third call charges once",
  async (fake) => {
    fake.failTimes(2, "7");
    const gateway = gatewayFor(fake);

    const first = await rejects(() => gateway.charge(charge), DependencyUnavailable);
    const second = await rejects(() => gateway.charge(charge), DependencyUnavailable);
    assert.is(fake.chargesTaken(charge.idempotencyKey), 0, "a 503 takes nothing");
    const third = await gateway.charge(charge);

    assert.equal([first.retryAfterSeconds, second.retryAfterSeconds], [7, 7]);
    assert.is(third.outcome, "approved");
    assert.is(fake.chargesTaken(charge.idempotencyKey), 1);
  },
);

spec(
  "given a gateway rate-limiting with 429, or failing with 500 and no Retry-After, then both are DependencyUnavailable, the 500 with the default hint",
  async (fake) => {
    fake.next({ kind: "unavailable", status: 429, retryAfter: "30" }, { kind: "unavailable", status: 500 });
    const gateway = gatewayFor(fake);

    const limited = await rejects(() => gateway.charge(charge), DependencyUnavailable);
    const failed = await rejects(() => gateway.charge(charge), DependencyUnavailable);

    assert.equal([limited.retryAfterSeconds, failed.retryAfterSeconds], [30, PAYMENT_GATEWAY_RETRY_AFTER_S]);
  },
);

it("given nothing listening at the gateway's address, when it charges, then it fails with DependencyUnavailable(payment-gateway)", async () => {
  const port = await freePort();
  const gateway = new HttpPaymentGateway({
    baseUrl: `http://127.0.0.1:${port}/v1`,
    apiKey: "sk_test_refused",
    timeoutMs: 5_000,
  });

  const error = await rejects(() => withinBound(gateway.charge(charge)), DependencyUnavailable);

  assert.is(error.dependency, "payment-gateway");
  assert.match(String((error.cause as Error).message), "could not be reached");
});

spec(
  "given a wrong API key, when it charges, then it is refused with 401 and a hint, and the key the gateway echoed is not repeated",
  async (fake) => {
    const wrongKey = "sk_live_wrong-key-that-must-not-leak";

    const error = await rejects(() => gatewayFor(fake, wrongKey).charge(charge), PaymentRequestRefused);

    assert.equal([error.status, error.code], [401, "unauthorized"]);
    assert.match(error.message, "check the payment gateway API key");
    assert.match(error.message, "[redacted]", "the fake echoes the key, so this proves redaction ran");
    assert.not.match(everything(error), wrongKey);
  },
);

spec(
  "given any failure — a timeout, a 503 quoting the request, a refusal, an unreadable answer, no listener — then the API key appears in no part of the error",
  async (fake) => {
    const gateway = gatewayFor(fake);
    fake.next({ kind: "stall" }, { kind: "unavailable", status: 503 }, { kind: "unreadable" });
    const errors: unknown[] = [];
    const capture = async (call: () => Promise<unknown>) => {
      try {
        await withinBound(call());
        errors.push(new Error("it resolved"));
      } catch (error) {
        errors.push(error);
      }
    };

    await capture(() => gateway.charge(charge));
    await capture(() => gateway.charge(charge));
    await capture(() => gateway.charge(charge));
    await capture(() => gateway.refund({ ...charge, idempotencyKey: "r", paymentReference: "nope" }));
    await fake.close();
    await capture(() => gateway.charge(charge));

    assert.equal(
      errors.map((error) => (error as Error).name),
      [
        "DependencyUnavailable",
        "DependencyUnavailable",
        "UnreadablePaymentAnswer",
        "PaymentRequestRefused",
        "DependencyUnavailable",
      ],
    );
    for (const error of errors) assert.not.match(everything(error), fake.apiKey);
  },
);

spec(
  "given a 2xx answer that is not an outcome, when it charges, then it fails with UnreadablePaymentAnswer naming the status",
  async (fake) => {
    fake.next({ kind: "unreadable" });

    const error = await rejects(() => gatewayFor(fake).charge(charge), UnreadablePaymentAnswer);

    assert.is(error.status, 200);
    assert.match(error.message, "check the base URL");
  },
);

spec(
  "given a gateway that redirects, when it charges, then the redirect is not followed and the request is refused with a hint to check the base URL",
  async (fake) => {
    fake.next({ kind: "answer", status: 308, body: "", headers: { location: `${fake.baseUrl}/charges` } });

    const error = await rejects(() => gatewayFor(fake).charge(charge), PaymentRequestRefused);

    assert.equal([error.status, error.code], [308, "http_308"]);
    assert.match(error.message, "check the payment gateway base URL");
    assert.is(fake.received.length, 1);
    assert.is(fake.chargesTaken(charge.idempotencyKey), 0);
  },
);

spec(
  "given a refusal with a plain-text body, when it charges, then the refusal's code is the status and its message quotes the text",
  async (fake) => {
    fake.next({ kind: "answer", status: 400, body: "amount field malformed" });

    const error = await rejects(() => gatewayFor(fake).charge(charge), PaymentRequestRefused);

    assert.equal([error.status, error.code], [400, "http_400"]);
    assert.match(
      error.message,
      "POST /v1/charges: the gateway refused the request with 400: amount field malformed",
    );
  },
);

it("given settings a call could not use, when the adapter is built, then it refuses them without quoting a secret", () => {
  const valid = { baseUrl: "https://payments.example.test/v1", apiKey: "sk_test_ok", timeoutMs: 1_000 };
  const refusal = (settings: typeof valid) => {
    try {
      new HttpPaymentGateway(settings);
    } catch (error) {
      return (error as Error).message;
    }
    return assert.unreachable("the settings were accepted") as never;
  };

  const keyWithNewline = refusal({ ...valid, apiKey: "sk_live_secret\r\nX-Evil: 1" });
  const urlWithPassword = refusal({ ...valid, baseUrl: "https://user:hunter2@payments.example.test/" });
  const ftp = refusal({ ...valid, baseUrl: "ftp://payments.example.test/" });
  const notUrl = refusal({ ...valid, baseUrl: "payments.example.test" });
  const noTimeout = refusal({ ...valid, timeoutMs: 0 });

  assert.match(keyWithNewline, "API key");
  assert.not.match(keyWithNewline, "sk_live_secret");
  assert.match(urlWithPassword, "must not carry credentials");
  assert.not.match(urlWithPassword, "hunter2");
  assert.match(ftp, "http or https");
  assert.match(notUrl, "is not a URL");
  assert.match(noTimeout, "timeout");
});

it("Retry-After is read as seconds or as an HTTP date, capped, and defaulted when absent or unreadable", () => {
  const now = Date.parse("2026-03-01T09:00:00Z");

  assert.is(retryAfterSeconds("12", now), 12);
  assert.is(retryAfterSeconds("Sun, 01 Mar 2026 09:00:30 GMT", now), 30);
  assert.is(retryAfterSeconds("Sun, 01 Mar 2026 08:00:00 GMT", now), 0);
  assert.is(retryAfterSeconds("86400", now), 600);
  assert.is(retryAfterSeconds(null, now), PAYMENT_GATEWAY_RETRY_AFTER_S);
  assert.is(retryAfterSeconds("soon", now), PAYMENT_GATEWAY_RETRY_AFTER_S);
});

it.run();
