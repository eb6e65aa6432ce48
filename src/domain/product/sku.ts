import { InvalidValue } from "../shared/domain-error.js";

export type Sku = string & { readonly __brand: "Sku" };

/** Stock-keeping unit: upper-case letters, digits and single dashes, 1 to 64 characters. */
export function sku(value: string): Sku {
  const normalised = value.trim().toUpperCase();
  if (!/^[A-Z0-9]+(?:-[A-Z0-9]+)*$/.test(normalised) || normalised.length > 64) {
    throw new InvalidValue(
      "sku",
      "sku must be 1-64 letters or digits, optionally separated by single dashes",
    );
  }
  return normalised as Sku;
}
