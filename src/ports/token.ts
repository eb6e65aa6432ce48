declare const portType: unique symbol;

/**
 * An injection token that knows the type it stands for. The composition root's registration helpers
 * check a handler's dependency list against its constructor's parameters through it, so a swapped or
 * missing token is a compile error, not a wrong object at run time. At run time it is the symbol.
 */
export type Token<T> = symbol & { readonly [portType]?: (value: T) => T };

/** The token of a port: `export const Clock = token<Clock>("Clock")`, beside the interface. */
export function token<T>(name: string): Token<T> {
  return Symbol.for(name) as Token<T>;
}
