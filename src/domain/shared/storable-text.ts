import { InvalidValue } from "./domain-error.js";

/**
 * Text keel keeps has to survive every store the same way: no NUL character (PostgreSQL's text and
 * jsonb cannot hold one) and no unpaired UTF-16 surrogate (not Unicode at all: UTF-8 has no encoding
 * for it and jsonb refuses its escape). Every text value object applies this rule, so the memory
 * store refuses exactly what PostgreSQL could not keep.
 */
export function isStorableText(value: string): boolean {
  return !UNSTORABLE.test(value);
}

/** The value itself, or an InvalidValue naming the field when it holds text keel cannot keep. */
export function storableText(field: string, value: string): string {
  if (!isStorableText(value)) {
    throw new InvalidValue(field, `${field} must not contain NUL characters or unpaired UTF-16 surrogates`);
  }
  return value;
}

/** NUL, or a surrogate code point: with the u flag a well-formed pair is one code point, a lone half is Cs. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding NUL is the point
const UNSTORABLE = /[\u0000\p{Cs}]/u;
