import { InvalidValue } from "../shared/domain-error.js";
import { entityId } from "../shared/entity-id.js";
import {
  type Currency,
  isSupportedCurrency,
  MAX_AMOUNT_MINOR,
  type Money,
  money,
  SUPPORTED_CURRENCIES,
} from "../shared/money.js";
import { storableText } from "../shared/storable-text.js";
import { MixedCurrencies, ProductPricedTwice } from "./order-errors.js";

/** A product as the customer asked for it, priced by the application from the catalogue at placement. */
export interface RequestedLine {
  readonly productId: string;
  readonly quantity: number;
  readonly unitPrice: Money;
  /** The catalogue's name for the product at placement, kept so the order reads as it was bought. */
  readonly productName?: string;
}

/** One product of an order: its quantity and the unit price captured when the order was placed. */
export interface OrderLine {
  readonly productId: string;
  readonly quantity: number;
  readonly unitPriceMinor: number;
  /**
   * The product's name when the order was placed, when the caller knew it. The key is left out
   * rather than undefined, so events and snapshots stored as JSON read back equal.
   */
  readonly productName?: string;
}

export const MAX_LINES = 50;
/** As long as a catalogue name may be. */
export const PRODUCT_NAME_MAX_LENGTH = 200;
export const MAX_LINE_QUANTITY = 1_000;

export interface PricedLines {
  readonly currency: Currency;
  readonly lines: readonly OrderLine[];
  readonly totalMinor: number;
}

/**
 * The lines of a new order: one per product (a product asked for twice is one line with the summed
 * quantity), 1 to MAX_LINES of them, each quantity 1 to MAX_LINE_QUANTITY (summed ones too), every
 * price in the first line's currency. The total is the domain's: unit price times quantity, summed,
 * and refused beyond MAX_AMOUNT_MINOR so it is as storable as any price.
 */
export function pricedLines(requested: readonly RequestedLine[]): PricedLines {
  const first = requested[0];
  if (first === undefined || requested.length > MAX_LINES) {
    throw new InvalidValue("lines", `lines must hold 1 to ${MAX_LINES} products`);
  }
  const currency = first.unitPrice.currency;
  const merged = new Map<string, OrderLine>();
  requested.forEach((line, index) => {
    const field = `lines[${index}]`;
    const id = entityId<"ProductId">(`${field}.productId`, line.productId);
    const price = unitPrice(`${field}.unitPrice`, line.unitPrice);
    if (price.currency !== currency) throw new MixedCurrencies(index, currency, price.currency);
    if (!isLineQuantity(line.quantity)) {
      throw new InvalidValue(
        `${field}.quantity`,
        `${field}.quantity must be a whole number from 1 to ${MAX_LINE_QUANTITY}`,
      );
    }
    const earlier = merged.get(id);
    if (earlier !== undefined && earlier.unitPriceMinor !== price.amountMinor) {
      throw new ProductPricedTwice(id, earlier.unitPriceMinor, price.amountMinor);
    }
    const quantity = (earlier?.quantity ?? 0) + line.quantity;
    if (!isLineQuantity(quantity)) {
      throw new InvalidValue(
        `${field}.quantity`,
        `${field}.quantity brings product ${id} to ${quantity} units; at most ${MAX_LINE_QUANTITY} of one product`,
      );
    }
    // A product asked for twice keeps the name it was first asked for under: one line, one name.
    const named = earlier?.productName ?? lineName(`${field}.productName`, line.productName);
    merged.set(id, {
      productId: id,
      quantity,
      unitPriceMinor: price.amountMinor,
      ...(named === undefined ? {} : { productName: named }),
    });
  });
  const lines = [...merged.values()];
  return { currency, lines, totalMinor: totalOf(lines) };
}

/** Money checked again (a caller may pass a plain object), refused under the line's own field. */
function unitPrice(field: string, price: Money): Money {
  if (!isSupportedCurrency(price.currency)) {
    throw new InvalidValue(field, `${field} must be in one of ${SUPPORTED_CURRENCIES.join(", ")}`);
  }
  const amount = price.amountMinor;
  if (!Number.isSafeInteger(amount) || amount < 0 || amount > MAX_AMOUNT_MINOR) {
    throw new InvalidValue(
      field,
      `${field} must be a whole number of minor units from 0 to ${MAX_AMOUNT_MINOR}`,
    );
  }
  return money(amount, price.currency);
}

function lineName(field: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const trimmed = storableText(field, value).trim();
  if (trimmed.length === 0 || trimmed.length > PRODUCT_NAME_MAX_LENGTH) {
    throw new InvalidValue(field, `${field} must be 1-${PRODUCT_NAME_MAX_LENGTH} characters`);
  }
  return trimmed;
}

function isLineQuantity(value: number): boolean {
  return Number.isSafeInteger(value) && value >= 1 && value <= MAX_LINE_QUANTITY;
}

/**
 * Each line's total is at most MAX_AMOUNT_MINOR × MAX_LINE_QUANTITY (10^15), and the running sum is
 * checked after each line, so no intermediate figure leaves the range a double holds exactly.
 */
function totalOf(lines: readonly OrderLine[]): number {
  let total = 0;
  for (const line of lines) {
    total += line.unitPriceMinor * line.quantity;
    if (total > MAX_AMOUNT_MINOR) {
      throw new InvalidValue("lines", `an order's total must be at most ${MAX_AMOUNT_MINOR} minor units`);
    }
  }
  return total;
}
