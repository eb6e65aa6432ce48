import { InvalidValue } from "./domain-error.js";
import { storableText } from "./storable-text.js";

export type Name = string & { readonly __brand: "Name" };

export const NAME_MAX_LENGTH = 200;

/** A display name: trimmed, inner whitespace collapsed, 1 to 200 characters of storable text. */
export function name(field: string, value: string): Name {
  const normalised = storableText(field, value).trim().replace(/\s+/g, " ");
  if (normalised.length === 0) throw new InvalidValue(field, `${field} must not be blank`);
  if (normalised.length > NAME_MAX_LENGTH) {
    throw new InvalidValue(field, `${field} must be at most ${NAME_MAX_LENGTH} characters`);
  }
  return normalised as Name;
}
