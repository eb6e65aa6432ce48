import { readFile, unlink, writeFile } from "node:fs/promises";

/** Another live process holds the embedded database: opening it too would corrupt it. */
export class DataDirectoryLocked extends Error {
  constructor(
    readonly dataDir: string,
    readonly holder: LockHolder,
  ) {
    super(
      `the embedded database in ${dataDir} is in use by process ${holder.pid} (${holder.command}, since ${holder.since}); ` +
        "PGlite allows one process at a time: stop that process first (commands such as `keel users create` or " +
        "`keel migrate` too), or use PERSISTENCE__DRIVER=postgres to share a database between processes",
    );
    this.name = "DataDirectoryLocked";
  }
}

interface LockHolder {
  readonly pid: number;
  readonly command: string;
  readonly since: string;
}

/**
 * An exclusive claim on a PGlite data directory: a lock file beside it (`<dir>.lock`), created with
 * O_EXCL and naming its process. PGlite itself takes no lock, so two processes on one directory
 * would both write to it. A lock left by a process that died (kill -9, power loss) is taken over:
 * its pid no longer runs.
 */
export class DirectoryLock {
  private constructor(private readonly path: string) {}

  static async acquire(dataDir: string): Promise<DirectoryLock> {
    const path = `${dataDir.replace(/\/+$/, "")}.lock`;
    const mine: LockHolder = {
      pid: process.pid,
      command: process.argv.slice(1).join(" ").slice(0, 200),
      since: new Date().toISOString(),
    };
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        await writeFile(path, JSON.stringify(mine), { flag: "wx" });
        return new DirectoryLock(path);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      }
      const holder = await readHolder(path);
      if (holder !== undefined && running(holder.pid)) throw new DataDirectoryLocked(dataDir, holder);
      // Stale (its process is gone) or unreadable: remove it and try once more. If another
      // process takes it in between, the second O_EXCL create fails and names that process.
      await unlink(path).catch(() => undefined);
    }
    const holder = await readHolder(path);
    throw new DataDirectoryLocked(dataDir, holder ?? { pid: 0, command: "unknown", since: "unknown" });
  }

  async release(): Promise<void> {
    await unlink(this.path).catch(() => undefined);
  }
}

async function readHolder(path: string): Promise<LockHolder | undefined> {
  try {
    const parsed = JSON.parse(await readFile(path, "utf8")) as Partial<LockHolder>;
    return typeof parsed.pid === "number"
      ? { pid: parsed.pid, command: String(parsed.command), since: String(parsed.since) }
      : undefined;
  } catch {
    return undefined;
  }
}

/** Signal 0 checks that the process exists without touching it; EPERM means it exists too. */
function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
