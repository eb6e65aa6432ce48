import { InvalidValue } from "./domain-error.js";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Identifiers are UUIDs generated outside the domain (an IdGenerator port) and passed in. */
export function entityId<TBrand extends string>(
  field: string,
  value: string,
): string & { readonly __brand: TBrand } {
  const normalised = value.toLowerCase();
  if (!UUID.test(normalised)) throw new InvalidValue(field, `${field} must be a UUID`);
  return normalised as string & { readonly __brand: TBrand };
}
