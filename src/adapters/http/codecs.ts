import * as t from "io-ts";
import { isStorableText } from "../../domain/shared/storable-text.js";
import { describe, objectSchema } from "./openapi/json-schema.js";

/**
 * Small io-ts building blocks for HTTP input and output. Every failure carries a message a client
 * can act on; the decoder turns the io-ts context into a path such as `query.page_size`.
 */

/** An object whose encoding keeps only the declared fields (so nothing undeclared can leave). */
export function object<P extends t.Props>(props: P, name?: string) {
  return t.exact(t.type(props), name);
}

/** An input object that refuses fields it does not declare: a typo must not be silently ignored. */
export function strictObject<P extends t.Props>(props: P, name = "object") {
  return refusingUnknown(props, name, "is not an accepted field");
}

/**
 * A query string that refuses parameters it does not declare, for the same reason as a body refuses
 * unknown fields: `?page_szie=5` must not quietly list the default page size.
 */
export function strictQuery<P extends t.Props>(props: P, name = "query") {
  return refusingUnknown(props, name, "is not an accepted query parameter");
}

function refusingUnknown<P extends t.Props>(props: P, name: string, unknownMessage: string) {
  const exact = t.exact(t.type(props));
  const codec = new t.Type<t.TypeOf<typeof exact>, t.OutputOf<typeof exact>, unknown>(
    name,
    exact.is,
    (input, context) => {
      if (typeof input !== "object" || input === null || Array.isArray(input)) {
        return t.failure(input, context, "expected a JSON object");
      }
      const unknownKeys: t.Errors = Object.keys(input)
        // Own keys only: `key in props` would accept "constructor", "toString" and the like.
        .filter((key) => !Object.hasOwn(props, key))
        .map((key) => ({
          value: (input as Record<string, unknown>)[key],
          context: [...context, { key, type: t.never, actual: input }],
          message: unknownMessage,
        }));
      const result = exact.validate(input, context);
      if (unknownKeys.length === 0) return result;
      return t.failures(result._tag === "Left" ? [...result.left, ...unknownKeys] : unknownKeys);
    },
    exact.encode,
  );
  return describe(codec, (convert) => ({
    ...objectSchema(props, true, convert),
    additionalProperties: false,
  }));
}

/** May be absent; when present it must be valid (reported with the inner codec's message only). */
export function optional<A, O>(codec: t.Type<A, O, unknown>) {
  const maybe = new t.Type<A | undefined, O | undefined, unknown>(
    `${codec.name} (optional)`,
    (u): u is A | undefined => u === undefined || codec.is(u),
    (input, context) => (input === undefined ? t.success(undefined) : codec.validate(input, context)),
    (a) => (a === undefined ? undefined : codec.encode(a)),
  );
  return describe(maybe, (convert) => convert(codec), true);
}

export function integer(min: number, max: number, name = `integer ${min}..${max}`) {
  const codec = new t.Type<number, number, unknown>(
    name,
    (u): u is number => Number.isSafeInteger(u) && (u as number) >= min && (u as number) <= max,
    (input, context) =>
      Number.isSafeInteger(input) && (input as number) >= min && (input as number) <= max
        ? t.success(input as number)
        : t.failure(input, context, `expected an integer between ${min} and ${max}`),
    t.identity,
  );
  return describe(codec, { type: "integer", minimum: min, maximum: max });
}

/** An integer sent as text (query strings and path parameters are always text). */
export function integerFromString(min: number, max: number, name = `integer ${min}..${max}`) {
  // Described as the integer it is: in a query or a path, OpenAPI parameters are text anyway.
  const codec = new t.Type<number, string, unknown>(
    name,
    (u): u is number => Number.isSafeInteger(u) && (u as number) >= min && (u as number) <= max,
    (input, context) => {
      const n = typeof input === "string" && /^-?\d{1,16}$/.test(input) ? Number(input) : Number.NaN;
      return Number.isSafeInteger(n) && n >= min && n <= max
        ? t.success(n)
        : t.failure(input, context, `expected an integer between ${min} and ${max}`);
    },
    String,
  );
  return describe(codec, { type: "integer", minimum: min, maximum: max });
}

/**
 * A decimal sent as text, as a whole number of hundredths: `"19.99"` is 1999, `"7"` is 700. At most
 * two decimal places, and at most `maxHundredths`.
 */
export function hundredthsFromString(maxHundredths: number, name = "decimal amount") {
  const show = (n: number) => `${Math.trunc(n / 100)}.${String(n % 100).padStart(2, "0")}`;
  const fits = (u: unknown): u is number =>
    Number.isSafeInteger(u) && (u as number) >= 0 && (u as number) <= maxHundredths;
  const codec = new t.Type<number, string, unknown>(
    name,
    fits,
    (input, context) => {
      const match = typeof input === "string" ? /^(\d{1,16})(?:\.(\d{1,2}))?$/.exec(input) : null;
      const n = match === null ? Number.NaN : Number((match[1] ?? "") + (match[2] ?? "").padEnd(2, "0"));
      return fits(n)
        ? t.success(n)
        : t.failure(
            input,
            context,
            `expected a decimal from 0 to ${show(maxHundredths)} with at most 2 decimal places, e.g. 19.99`,
          );
    },
    show,
  );
  return describe(codec, {
    type: "string",
    pattern: "^\\d{1,16}(\\.\\d{1,2})?$",
    description: `a decimal from 0 to ${show(maxHundredths)} with at most 2 decimal places, e.g. 19.99`,
  });
}

const NOT_STORABLE = "must not contain NUL characters or unpaired UTF-16 surrogates";

/**
 * Text of a bounded length that keel can store and show: the domain's rule (no NUL, no lone UTF-16
 * surrogate) is applied to every text field and filter here too, so that every driver refuses the
 * same input with the same 400 before any handler runs; the domain's own check is the backstop for
 * callers other than HTTP.
 */
export function text(minLength: number, maxLength: number, name = `text ${minLength}..${maxLength}`) {
  const fits = (u: unknown): u is string =>
    typeof u === "string" && u.length >= minLength && u.length <= maxLength;
  const codec = new t.Type<string, string, unknown>(
    name,
    (u): u is string => fits(u) && isStorableText(u),
    (input, context) => {
      if (!fits(input))
        return t.failure(input, context, `expected text of ${minLength} to ${maxLength} characters`);
      return isStorableText(input) ? t.success(input) : t.failure(input, context, NOT_STORABLE);
    },
    t.identity,
  );
  return describe(codec, {
    type: "string",
    minLength,
    maxLength,
    // JSON Schema counts code points, keel (like JavaScript) UTF-16 code units: they differ beyond
    // the Basic Multilingual Plane, where one character is two units.
    description: `${minLength} to ${maxLength} UTF-16 code units; ${NOT_STORABLE}`,
  });
}

export function oneOf<const V extends readonly [string, ...string[]]>(values: V, name = values.join(" | ")) {
  const codec = new t.Type<V[number], V[number], unknown>(
    name,
    (u): u is V[number] => typeof u === "string" && values.includes(u),
    (input, context) =>
      typeof input === "string" && values.includes(input)
        ? t.success(input as V[number])
        : t.failure(input, context, `expected one of ${values.join(", ")}`),
    t.identity,
  );
  return describe(codec, { type: "string", enum: [...values] });
}

const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

export const uuid = new t.Type<string, string, unknown>(
  "uuid",
  (u): u is string => typeof u === "string" && UUID.test(u),
  (input, context) =>
    typeof input === "string" && UUID.test(input)
      ? t.success(input)
      : t.failure(input, context, "expected a UUID"),
  t.identity,
);
describe(uuid, { type: "string", format: "uuid", pattern: UUID.source });

/**
 * RFC 3339 date-times with four-digit years (0001 to 9999): what PostgreSQL's timestamptz and every
 * client library agree on. `Date.parse` alone also takes `+010000-01-01T00:00:00Z`, which the
 * database cannot store, and quietly moves days that do not exist (`2030-02-30` is March 2nd) and
 * `T24:00:00` (the next midnight): a client sending those has a bug that must not become a date.
 */
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/i;

function isDateTime(u: unknown): u is string {
  const parts = typeof u === "string" ? DATE_TIME.exec(u) : null;
  if (parts === null || Number.isNaN(Date.parse(u as string))) return false;
  const [year, month, day, hour] = parts.slice(1, 5).map(Number) as [number, number, number, number];
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  return year >= 1 && hour <= 23 && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

export const isoDateTime = new t.Type<string, string, unknown>(
  "date-time",
  isDateTime,
  (input, context) =>
    isDateTime(input)
      ? t.success(input)
      : t.failure(
          input,
          context,
          "expected an RFC 3339 date-time between years 0001 and 9999, e.g. 2030-01-31T12:00:00Z",
        ),
  t.identity,
);
describe(isoDateTime, { type: "string", format: "date-time" });
