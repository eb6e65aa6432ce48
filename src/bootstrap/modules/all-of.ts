/** Injects every binding of a multi-bound token (an empty list when a role binds none). */
export const allOf = (serviceIdentifier: symbol) =>
  ({ serviceIdentifier, isMultiple: true, optional: true }) as const;

/** Injects a binding when there is one, undefined otherwise (Tracing, bound only when enabled). */
export const ifBound = (serviceIdentifier: symbol) => ({ serviceIdentifier, optional: true }) as const;
