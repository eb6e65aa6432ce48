import { mkdir } from "node:fs/promises";
import type { PGlite } from "@electric-sql/pglite";
import { DirectoryLock } from "./directory-lock.js";
import { pgCompatibleParsers } from "./pg-compatible-parsers.js";

export interface OpenPgliteOptions {
  /** A directory (created when missing, kept across restarts) or `memory://` (gone on close). */
  readonly dataDir: string;
}

/**
 * Opens the embedded database. pg_trgm is loaded so migrations can `CREATE EXTENSION IF NOT
 * EXISTS pg_trgm` as they do on PostgreSQL. The first open of a directory runs initdb (seconds);
 * reopening it is quick. A directory is opened by one process at a time (DirectoryLock); closing the
 * database releases it.
 */
export async function openPglite({ dataDir }: OpenPgliteOptions): Promise<PGlite> {
  // Imported here, not at the top: every process imports this module, few open a PGlite.
  const [{ PGlite }, { pg_trgm }] = await Promise.all([
    import("@electric-sql/pglite"),
    import("@electric-sql/pglite/contrib/pg_trgm"),
  ]);
  const options = { extensions: { pg_trgm }, parsers: pgCompatibleParsers() };
  if (dataDir.startsWith("memory://")) return PGlite.create(dataDir, options);
  // PGlite creates only the last directory of the path, so `.data/pglite` fails on a fresh clone.
  await mkdir(dataDir, { recursive: true });
  const lock = await DirectoryLock.acquire(dataDir);
  try {
    const pglite = await PGlite.create(dataDir, options);
    // Whoever closes the database (the dialect, a test) releases the directory with it.
    const close = pglite.close.bind(pglite);
    pglite.close = async () => {
      try {
        await close();
      } finally {
        await lock.release();
      }
    };
    return pglite;
  } catch (error) {
    await lock.release();
    throw error;
  }
}
