/** Injects every binding of a multi-bound token (an empty list when a role binds none). */
export const allOf = (serviceIdentifier: symbol) =>
  ({ serviceIdentifier, isMultiple: true, optional: true }) as const;
