/**
 * An invariant the business refuses to break. `code` is a stable machine-readable name; how it is
 * presented (HTTP status, CLI exit code) is the driving adapter's choice, never the domain's.
 */
export abstract class DomainError extends Error {
  abstract readonly code: string;

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
