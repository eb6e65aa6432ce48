import { isIPv6 } from "node:net";

/**
 * The key a client address is counted under. IPv4 (also when mapped into IPv6) counts as itself;
 * IPv6 counts by its /64, because one host is usually given a whole /64 and could otherwise
 * rotate through addresses to escape the limit.
 */
export function clientKey(ip: string): string {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(ip);
  if (mapped?.[1] !== undefined) return mapped[1];
  const address = ip.split("%")[0] ?? ip;
  if (!isIPv6(address)) return ip === "" ? "unknown" : ip;
  return `${prefix64(address)}::/64`;
}

function prefix64(address: string): string {
  const [head = "", tail] = address.split("::");
  const groups = (part: string) => (part === "" ? [] : part.split(":"));
  const width = (parts: string[]) => parts.length + (parts.at(-1)?.includes(".") ? 1 : 0);
  const left = groups(head);
  const right = tail === undefined ? [] : groups(tail);
  const zeros = tail === undefined ? [] : Array(8 - width(left) - width(right)).fill("0");
  return [...left, ...zeros, ...right]
    .slice(0, 4)
    .map((group) => Number.parseInt(group, 16).toString(16))
    .join(":");
}
