/**
 * How an API key looks on the wire: `keel_<prefix>_<secret>`. The fixed `keel_` start lets secret
 * scanners (and people) recognise a leaked key; the prefix is public and finds the stored record;
 * only the secret's hash is stored.
 */
const KEY = /^keel_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$/;

export function composeApiKey(prefix: string, secret: string): string {
  return `keel_${prefix}_${secret}`;
}

export function parseApiKey(value: string): { prefix: string; secret: string } | undefined {
  const match = KEY.exec(value);
  if (match?.[1] === undefined || match[2] === undefined) return undefined;
  return { prefix: match[1], secret: match[2] };
}
