import { token } from "./token.js";

/** The answer a request got, kept to be given again to a retry with the same key. */
export interface StoredResponse {
  readonly status: number;
  readonly body: unknown;
  /** The headers that belong to the answer itself (Location, ETag), not to the exchange. */
  readonly headers: Readonly<Record<string, string>>;
}

/** What a claim on a key found. */
export type KeyClaim =
  /** The key was free (or its record had expired, or its request was abandoned): this request runs. */
  | { readonly outcome: "claimed" }
  /** Another request with this key is running now. */
  | { readonly outcome: "running"; readonly fingerprint: string }
  /** A request with this key has been answered. */
  | { readonly outcome: "answered"; readonly fingerprint: string; readonly response: StoredResponse };

/**
 * Idempotency keys (the `Idempotency-Key` header): per caller, the first request with a key runs and
 * its answer is kept until the key expires; a retry gets that answer again. The claim is atomic
 * across processes, so of two concurrent requests with one key exactly one runs.
 */
export interface IdempotencyKeys {
  /**
   * Claims `key` for `scope` (the caller) and a request whose content is `fingerprint`, unless a live
   * record holds it. A record expires `ttlMs` after its claim; a running one whose request has not
   * answered within `abandonAfterMs` (its process died) can be claimed again.
   */
  claim(
    scope: string,
    key: string,
    fingerprint: string,
    at: { readonly now: Date; readonly ttlMs: number; readonly abandonAfterMs: number },
  ): Promise<KeyClaim>;
  /** Keeps the answer of the claimed request. */
  answer(scope: string, key: string, response: StoredResponse): Promise<void>;
  /** Gives a claim up (the request failed for a reason a retry may not meet): the key is free again. */
  release(scope: string, key: string): Promise<void>;
}
export const IdempotencyKeys = token<IdempotencyKeys>("IdempotencyKeys");
