import { InvalidValue } from "../shared/domain-error.js";
import { name } from "../shared/name.js";
import { storableText } from "../shared/storable-text.js";
import { COUNTRY_CODES } from "./country-codes.js";

/** Where an order goes. Plain data, so it travels in events and snapshots as it is. */
export interface ShippingAddress {
  /** The recipient, as on the parcel. */
  readonly name: string;
  /** Street, number, building, floor: one to three lines, in the order they are printed. */
  readonly lines: readonly string[];
  readonly city: string;
  readonly postalCode: string;
  /** ISO 3166-1 alpha-2, upper case. */
  readonly country: string;
}

export const MAX_ADDRESS_LINES = 3;
const LINE_MAX_LENGTH = 100;

/**
 * Checks and normalises an address as a carrier's label needs it: text trimmed with inner whitespace
 * collapsed, no part blank or unstorable, the postal code in upper case, the country an assigned ISO
 * code. Fields are named `shippingAddress.<part>` so a refusal says which part.
 */
export function shippingAddress(input: ShippingAddress): ShippingAddress {
  const field = (part: string) => `shippingAddress.${part}`;
  if (input.lines.length < 1 || input.lines.length > MAX_ADDRESS_LINES) {
    throw new InvalidValue(field("lines"), `${field("lines")} must be 1 to ${MAX_ADDRESS_LINES} lines`);
  }
  return {
    name: name(field("name"), input.name),
    lines: input.lines.map((line, index) => text(`${field("lines")}[${index}]`, line, LINE_MAX_LENGTH)),
    city: text(field("city"), input.city, LINE_MAX_LENGTH),
    postalCode: postalCode(field("postalCode"), input.postalCode),
    country: country(field("country"), input.country),
  };
}

function text(field: string, value: string, maxLength: number): string {
  const normalised = storableText(field, value).trim().replace(/\s+/g, " ");
  if (normalised.length === 0) throw new InvalidValue(field, `${field} must not be blank`);
  if (normalised.length > maxLength) {
    throw new InvalidValue(field, `${field} must be at most ${maxLength} characters`);
  }
  return normalised;
}

/**
 * Letters and digits, with single spaces or dashes between them, 1 to 16 characters: every national format fits (SW1A 1AA, 10115, 1010-001, H3Z 2Y7), free text does not.
 */
function postalCode(field: string, value: string): string {
  const normalised = storableText(field, value).trim().replace(/\s+/g, " ").toUpperCase();
  if (!/^[A-Z0-9]+(?:[ -][A-Z0-9]+)*$/.test(normalised) || normalised.length > 16) {
    throw new InvalidValue(
      field,
      `${field} must be 1-16 letters or digits, with single spaces or dashes between them`,
    );
  }
  return normalised;
}

function country(field: string, value: string): string {
  const code = value.trim().toUpperCase();
  if (!COUNTRY_CODES.has(code)) {
    throw new InvalidValue(field, `${field} must be an ISO 3166-1 alpha-2 country code such as DE or US`);
  }
  return code;
}
