import { isLeft } from "fp-ts/lib/Either.js";
import type * as t from "io-ts";
import { type FieldError, HttpError } from "./http-error.js";

/** Decodes one part of a request (params, query, body) or throws a 400 listing every failure by path. */
export function decode<A>(codec: t.Decoder<unknown, A>, value: unknown, part: string): A {
  const result = codec.decode(value);
  if (!isLeft(result)) return result.right;
  throw new HttpError(400, "VALIDATION_FAILED", "the request is not valid", uniqueErrors(result.left, part));
}

function uniqueErrors(errors: t.Errors, part: string): FieldError[] {
  const seen = new Set<string>();
  const out: FieldError[] = [];
  for (const error of errors) {
    // Union members add numeric keys to the context; they mean nothing to a client.
    const keys = error.context.map((entry) => entry.key).filter((key) => key !== "" && !/^\d+$/.test(key));
    const path = [part, ...keys].join(".");
    const last = error.context[error.context.length - 1];
    const message =
      error.value === undefined
        ? "is required"
        : (error.message ?? `expected ${last?.type.name ?? "a valid value"}`);
    const line = `${path}\u0000${message}`;
    if (seen.has(line)) continue;
    seen.add(line);
    out.push({ path, message });
  }
  return out;
}
