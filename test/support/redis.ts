import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import { decide, type ServiceDecision } from "./services.js";

/** The local server unless REDIS__URL says otherwise. */
export const REDIS_URL = process.env.REDIS__URL ?? "redis://127.0.0.1:6379";

/** A port nothing listens on: Redis "down" without waiting for a timeout. */
export const UNREACHABLE_REDIS_URL = "redis://127.0.0.1:1";

let decision: Promise<ServiceDecision> | undefined;

/** Whether Redis suites run: skipped with the reason locally, required under CI=true. */
export function redisDecision(): Promise<ServiceDecision> {
  decision ??= decide("Redis", async () => {
    const client = new Redis(REDIS_URL, {
      lazyConnect: true,
      connectTimeout: 2000,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    // The socket's error says why (ECONNREFUSED ...); the rejection only says the connection closed.
    let cause: Error | undefined;
    client.on("error", (error: Error) => {
      cause = error;
    });
    try {
      await client.connect();
      await client.ping();
    } catch (error) {
      throw cause ?? error;
    } finally {
      client.disconnect();
    }
  });
  return decision;
}

/** A key prefix no other run shares, so suites never see each other's counters in the shared Redis. */
export function uniqueKeyPrefix(): string {
  return `keel-test:${randomBytes(6).toString("hex")}`;
}
