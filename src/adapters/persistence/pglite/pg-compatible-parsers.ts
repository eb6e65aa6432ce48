import type { ParserOptions } from "@electric-sql/pglite";
import { loadWhenUsed } from "../../load-when-used.js";

const pg = loadWhenUsed<typeof import("pg")>("pg");

/**
 * pg's own text parsers for every built-in type. PGlite's defaults differ from pg's (int8 as a
 * number or bigint where pg gives a string, bytea as a Uint8Array rather than a Buffer, date at
 * UTC midnight rather than local midnight, interval as text rather than an object); with pg's,
 * the embedded database returns exactly what production returns, so one contract suite holds
 * for both. Array types follow, since PGlite parses array elements with these parsers.
 */
export function pgCompatibleParsers(): ParserOptions {
  const { types } = pg();
  return Object.fromEntries(
    Object.values(types.builtins).map((oid) => [oid, types.getTypeParser(oid, "text")]),
  );
}
