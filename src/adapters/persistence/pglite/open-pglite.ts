import { mkdir } from "node:fs/promises";
import { PGlite } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { pgCompatibleParsers } from "./pg-compatible-parsers.js";

export interface OpenPgliteOptions {
  /** A directory (created when missing, kept across restarts) or `memory://` (gone on close). */
  readonly dataDir: string;
}

/**
 * Opens the embedded database. pg_trgm is loaded so migrations can `CREATE EXTENSION IF NOT
 * EXISTS pg_trgm` as they do on PostgreSQL. The first open of a directory runs initdb (seconds);
 * reopening it is quick.
 */
export async function openPglite({ dataDir }: OpenPgliteOptions): Promise<PGlite> {
  // PGlite creates only the last directory of the path, so `.data/pglite` fails on a fresh clone.
  if (!dataDir.startsWith("memory://")) await mkdir(dataDir, { recursive: true });
  return PGlite.create(dataDir, { extensions: { pg_trgm }, parsers: pgCompatibleParsers() });
}
