import { InvalidValue } from "../shared/domain-error.js";

/**
 * The most units of one product keel keeps on hand: one billion. Far beyond any real stock, and half
 * of what the 32-bit stock columns hold, so that no sum of a stored figure and an accepted change
 * can overflow them. Reserved units never exceed those on hand, so they share the bound. The schema
 * checks it too (migration 2026-11-24T0600-stock-and-price-bounds).
 */
export const MAX_STOCK = 1_000_000_000;

/** A count of units: a whole number, at least 1 (0 or less would be a change that changes nothing). */
export function positiveQuantity(field: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 1 || value > MAX_STOCK) {
    throw new InvalidValue(field, `${field} must be a whole number from 1 to ${MAX_STOCK}`);
  }
  return value;
}

export function nonNegativeQuantity(field: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 0 || value > MAX_STOCK) {
    throw new InvalidValue(field, `${field} must be a whole number from 0 to ${MAX_STOCK}`);
  }
  return value;
}

/** A correction of stock on hand, either way: a whole number other than 0, at most MAX_STOCK units. */
export function stockDelta(field: string, value: number): number {
  if (!Number.isSafeInteger(value) || value === 0 || Math.abs(value) > MAX_STOCK) {
    throw new InvalidValue(
      field,
      `${field} must be a whole number other than 0, from -${MAX_STOCK} to ${MAX_STOCK}`,
    );
  }
  return value;
}
