import { InvalidValue } from "../shared/domain-error.js";
import { isStorableText } from "../shared/storable-text.js";

export type Email = string & { readonly __brand: "Email" };

/**
 * An e-mail address as the account's identity: trimmed and lower-cased, so "Ann@Example.com " and
 * "ann@example.com" are one account. Only the shape is checked here; ownership is proven by mail.
 */
export function email(value: string): Email {
  const normalised = value.trim().toLowerCase();
  if (
    normalised.length > 254 ||
    !isStorableText(normalised) ||
    !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(normalised)
  ) {
    throw new InvalidValue("email", "email must be an address such as ann@example.com");
  }
  return normalised as Email;
}
