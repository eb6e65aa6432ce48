import { isLeft } from "fp-ts/lib/Either.js";
import * as t from "io-ts";
import { InvalidValue } from "../../../domain/shared/domain-error.js";
import { isSupportedCurrency, parseDecimal } from "../../../domain/shared/money.js";
import { strictObject, text } from "../../http/codecs.js";
import { describe } from "../../http/openapi/json-schema.js";
import { currencyCode } from "./product-inputs.js";

const MoneyFields = strictObject(
  { amount: text(1, 32, "decimal amount"), currency: currencyCode },
  "MoneyInput",
);

export type MoneyInput = t.TypeOf<typeof MoneyFields>;

/**
 * A v2 price, `{ amount: "19.99", currency: "EUR" }`. The amount is checked here with the domain's
 * own parser — a decimal with no more places than the currency has, at most MAX_AMOUNT_MINOR minor
 * units — so v2 refuses with a 400 exactly what v1's integer codec refuses, under the same bound. A
 * currency keel does not support is a business refusal (422), as in v1: the domain gives it.
 */
export const MoneyInput = new t.Type<MoneyInput, MoneyInput, unknown>(
  "MoneyInput",
  MoneyFields.is,
  (input, context) => {
    const fields = MoneyFields.validate(input, context);
    if (isLeft(fields) || !isSupportedCurrency(fields.right.currency)) return fields;
    try {
      parseDecimal(fields.right.amount, fields.right.currency);
      return fields;
    } catch (error) {
      if (!(error instanceof InvalidValue)) throw error;
      const at: t.Context = [...context, { key: "amount", type: t.string, actual: fields.right.amount }];
      return t.failure(fields.right.amount, at, error.message);
    }
  },
  t.identity,
);
// The fields' schema; the amount's places and bound per currency are the domain's to check.
describe(MoneyInput, (convert) => convert(MoneyFields));
