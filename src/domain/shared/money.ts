import { InvalidValue } from "./domain-error.js";

/**
 * ISO 4217 currencies keel accepts, with their minor-unit exponent (cents for EUR, none for JPY).
 * Amounts are kept in minor units as integers so that no arithmetic ever rounds.
 */
const MINOR_UNIT_EXPONENT = {
  AUD: 2,
  CAD: 2,
  CHF: 2,
  CZK: 2,
  DKK: 2,
  EUR: 2,
  GBP: 2,
  JPY: 0,
  KRW: 0,
  NOK: 2,
  PLN: 2,
  SEK: 2,
  USD: 2,
} as const;

export type Currency = keyof typeof MINOR_UNIT_EXPONENT;

export const SUPPORTED_CURRENCIES = Object.keys(MINOR_UNIT_EXPONENT) as Currency[];

export function isSupportedCurrency(value: string): boolean {
  return Object.hasOwn(MINOR_UNIT_EXPONENT, value.toUpperCase());
}

export function currency(value: string): Currency {
  const code = value.toUpperCase();
  // Own keys only: `in` would take "toString" or "constructor" for a currency.
  if (!isSupportedCurrency(code)) {
    throw new InvalidValue("currency", `currency must be one of ${SUPPORTED_CURRENCIES.join(", ")}`);
  }
  return code as Currency;
}

/**
 * The largest amount keel keeps, in minor units of any currency: 10,000,000,000.00 EUR, or a
 * trillion yen. One bound for every API version (v1 sends minor units, v2 decimals, both checked
 * against this), well inside the bigint column and the integers a JSON number carries exactly. The
 * schema checks it too (migration 2026-11-24T0600-stock-and-price-bounds).
 */
export const MAX_AMOUNT_MINOR = 1_000_000_000_000;

export interface Money {
  readonly amountMinor: number;
  readonly currency: Currency;
}

/** A non-negative amount in minor units of a supported currency, at most MAX_AMOUNT_MINOR. */
export function money(amountMinor: number, currencyCode: string): Money {
  if (!Number.isSafeInteger(amountMinor) || amountMinor < 0 || amountMinor > MAX_AMOUNT_MINOR) {
    throw new InvalidValue(
      "price",
      `an amount must be a whole number of minor units from 0 to ${MAX_AMOUNT_MINOR}`,
    );
  }
  return { amountMinor, currency: currency(currencyCode) };
}

export function sameMoney(a: Money, b: Money): boolean {
  return a.amountMinor === b.amountMinor && a.currency === b.currency;
}

/** The amount as a decimal string in major units ("19.99" EUR, "500" JPY), exact for any integer. */
export function formatDecimal(m: Money): string {
  const exponent = MINOR_UNIT_EXPONENT[m.currency];
  if (exponent === 0) return String(m.amountMinor);
  const digits = String(m.amountMinor).padStart(exponent + 1, "0");
  return `${digits.slice(0, -exponent)}.${digits.slice(-exponent)}`;
}

/** Parses a decimal string in major units; more fraction digits than the currency has is refused. */
export function parseDecimal(amount: string, currencyCode: string): Money {
  const code = currency(currencyCode);
  const exponent = MINOR_UNIT_EXPONENT[code];
  const match = /^(\d{1,15})(?:\.(\d+))?$/.exec(amount);
  if (match === null)
    throw new InvalidValue("price", "an amount must be a non-negative decimal such as 19.99");
  const whole = match[1] ?? "0";
  const fraction = match[2] ?? "";
  if (fraction.length > exponent) {
    throw new InvalidValue("price", `${code} amounts have at most ${exponent} decimal places`);
  }
  const amountMinor = Number(whole + fraction.padEnd(exponent, "0"));
  if (amountMinor > MAX_AMOUNT_MINOR) {
    const most = formatDecimal({ amountMinor: MAX_AMOUNT_MINOR, currency: code });
    throw new InvalidValue("price", `${code} amounts are at most ${most}`);
  }
  return money(amountMinor, code);
}
