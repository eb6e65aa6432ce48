import { request as httpRequest } from "node:http";
import { recordOutput, recordSecret } from "../../support/output-record.js";

/**
 * The generic half of the bad-input suite: a raw HTTP client (fetch refuses TRACE and cannot send
 * bytes that are not UTF-8), and the mutations that turn one valid sample request into many bad ones.
 */

export interface BadRequest {
  readonly method: string;
  /** The path and query string, e.g. `/api/v1/products?extra=1`. */
  readonly path: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** Sent as application/json: a value (JSON.stringify'd) or the exact text or bytes. */
  readonly json?: unknown;
  readonly raw?: string | Buffer;
}

export interface Answer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly text: string;
  // biome-ignore lint/suspicious/noExplicitAny: envelopes are asserted field by field
  readonly body: any;
}

/** Sends one request as is, and records what came back for the suite-wide secret scan. */
export function send(baseUrl: string, request: BadRequest): Promise<Answer> {
  const payload =
    request.raw ?? (request.json === undefined ? undefined : Buffer.from(JSON.stringify(request.json)));
  const headers = {
    ...(payload === undefined ? {} : { "content-type": "application/json" }),
    ...request.headers,
  };
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${baseUrl}${request.path}`, { method: request.method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        recordOutput(`response to ${request.method} ${request.path}`, text);
        const json = (res.headers["content-type"] ?? "").includes("json") && text !== "";
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          text,
          body: json ? JSON.parse(text) : text,
        });
      });
      res.on("error", reject);
    });
    req.on("error", reject);
    if (payload !== undefined) req.write(payload);
    req.end();
  });
}

/** Every password a request carries, so the secret scan knows what must never come back. */
export function recordPasswords(json: unknown): void {
  if (typeof json !== "object" || json === null) return;
  for (const [key, value] of Object.entries(json)) {
    if (/password/.test(key) && typeof value === "string") recordSecret("password", value);
  }
}

// ---------------------------------------------------------------------------------------------
// Mutations of a valid JSON body

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** A value in a body: where it is (keys and array indexes) and the path a refusal names it by. */
export interface Leaf {
  readonly at: readonly (string | number)[];
  /** `body.price.amount`; array elements are named by their array (`body.roles`), as the decoder does. */
  readonly path: string;
  readonly value: Json;
}

export function leaves(value: Json, at: (string | number)[] = [], path = "body"): Leaf[] {
  if (Array.isArray(value)) return value.flatMap((item, index) => leaves(item, [...at, index], path));
  if (value !== null && typeof value === "object")
    return Object.entries(value).flatMap(([key, item]) => leaves(item, [...at, key], `${path}.${key}`));
  return [{ at, path, value }];
}

/** The objects of a body, by path: each one may be sent an unknown field. */
export function objects(value: Json, path = "body"): string[] {
  if (Array.isArray(value)) return value.flatMap((item) => objects(item, path));
  if (value === null || typeof value !== "object") return [];
  return [path, ...Object.entries(value).flatMap(([key, item]) => objects(item, `${path}.${key}`))];
}

/** A copy of `body` with the value at `at` replaced. */
export function replaced(body: Json, at: readonly (string | number)[], value: Json): Json {
  if (at.length === 0) return value;
  const [head, ...rest] = at as [string | number, ...(string | number)[]];
  if (Array.isArray(body))
    return body.map((item, index) => (index === head ? replaced(item, rest, value) : item));
  const object = body as { [key: string]: Json };
  return { ...object, [head]: replaced(object[head as string] as Json, rest, value) };
}

/**
 * A copy of `body` with an own property `key` added to the object at `path` (`__proto__` included).
 * Paths name array elements by their array, as `objects` does, so an array's objects each get it.
 */
export function withField(body: Json, path: string, key: string, value: Json): Json {
  const at = path.split(".").slice(1);
  const add = (node: Json, rest: string[]): Json => {
    if (Array.isArray(node)) return node.map((item) => add(item, rest));
    if (rest.length === 0) {
      const copy = { ...(node as { [key: string]: Json }) };
      // defineProperty: an assignment to `__proto__` would set the prototype, not add a field.
      Object.defineProperty(copy, key, { value, enumerable: true, configurable: true, writable: true });
      return copy;
    }
    const [head, ...tail] = rest as [string, ...string[]];
    const object = node as { [key: string]: Json };
    return { ...object, [head]: add(object[head] as Json, tail) };
  };
  return add(body, at);
}

/**
 * Text PostgreSQL cannot keep, put in place of the value's second character (so that length rules
 * still hold and the only thing wrong is the character): NUL, a lone high and a lone low surrogate.
 */
export const UNSTORABLE = { NUL: "\u0000", "lone high surrogate": "\ud800", "lone low surrogate": "\udc00" };

export function spliced(value: string, bad: string): string {
  return `${value.slice(0, 1)}${bad}${value.slice(2)}`;
}

/** Numbers beyond every bound a body's integer fields have, and ones that are no integers at all. */
export const OUT_OF_RANGE: Readonly<Record<string, number>> = {
  "10^15": 1e15,
  "-10^15": -1e15,
  "2^53": 2 ** 53,
  "1.5": 1.5,
};
