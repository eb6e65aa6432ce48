import { InvalidValue } from "../shared/domain-error.js";

/** A count of units: a whole number, at least 1 (0 or less would be a change that changes nothing). */
export function positiveQuantity(field: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new InvalidValue(field, `${field} must be a whole number of at least 1`);
  }
  return value;
}

export function nonNegativeQuantity(field: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new InvalidValue(field, `${field} must be a whole number of at least 0`);
  }
  return value;
}
