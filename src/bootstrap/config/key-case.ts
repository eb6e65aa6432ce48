/** One segment of an env key: UPPER_SNAKE, every word starting with a letter so it maps to camelCase and back. */
const ENV_SEGMENT = /^[A-Z][A-Z0-9]*(?:_[A-Z][A-Z0-9]*)*$/;

export function isEnvSegment(segment: string): boolean {
  return ENV_SEGMENT.test(segment);
}

/** `NEW_CHECKOUT` → `newCheckout` */
export function toPropertyName(segment: string): string {
  return segment.toLowerCase().replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase());
}

/** `bodyLimitBytes` → `BODY_LIMIT_BYTES` */
export function toEnvSegment(property: string): string {
  return property.replace(/[A-Z]/g, (letter) => `_${letter}`).toUpperCase();
}

/** The type-level twin of {@link toEnvSegment}, so env keys can be checked at compile time. */
export type EnvSegment<P extends string, Done extends string = ""> = P extends `${infer C}${infer Rest}`
  ? EnvSegment<Rest, `${Done}${C extends Lowercase<C> ? Uppercase<C> : `_${C}`}`>
  : Done;
