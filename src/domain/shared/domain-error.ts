/**
 * What sort of refusal an error is, in the business's terms:
 * - `conflict`: the request is sound but clashes with the current state (the SKU is taken, too little
 *   stock); it may succeed later or elsewhere;
 * - `broken-rule`: the request itself breaks a rule (a negative price, a stock beyond the limit).
 * Driving adapters present each sort their own way (HTTP: 409 and 422), with no table per code.
 */
export type RefusalKind = "conflict" | "broken-rule";

/**
 * An invariant the business refuses to break. `code` is a stable machine-readable name and `kind`
 * the sort of refusal; how it is presented (HTTP status, CLI exit code) is the driving adapter's
 * choice, never the domain's.
 */
export abstract class DomainError extends Error {
  abstract readonly code: string;
  readonly kind: RefusalKind = "broken-rule";

  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** A value object was given a value outside its rules (an empty name, a negative amount, ...). */
export class InvalidValue extends DomainError {
  readonly code = "INVALID_VALUE";

  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}
