import { accessSync, constants, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, sep } from "node:path";
import pino, { type DestinationStream } from "pino";
import { loadWhenUsed } from "../load-when-used.js";

// Human-readable lines are a development setting: JSON logging never loads the prettifier.
const pinoPretty = loadWhenUsed<typeof import("pino-pretty")>("pino-pretty");

/** The rotating log file: where, at what size it rotates, how many rotated files stay. */
export interface LogFile {
  /**
   * The base path. pino-roll numbers the files before the extension: `/var/log/keel/keel.log` is
   * written as keel.1.log, then keel.2.log, …; the highest number is the current file.
   */
  readonly path: string;
  readonly maxBytes: number;
  /** Rotated files kept besides the current one. */
  readonly keep: number;
}

export interface LogDestinationOptions {
  readonly pretty: boolean;
  /** Where the console lines go instead of stdout (a test capturing them). */
  readonly console?: DestinationStream;
  readonly file?: LogFile;
}

/** The log file's directory cannot be created or written: start-up stops and says so in one line. */
export class LogFileUnusable extends Error {
  constructor(
    readonly path: string,
    readonly reason: string,
    options?: ErrorOptions,
  ) {
    super(`log file ${path} cannot be written: ${reason}`, options);
    this.name = "LogFileUnusable";
  }
}

const PINO_ROLL = createRequire(import.meta.url).resolve("pino-roll");

/**
 * Where log lines go: stdout (or the console stream given), and, with a file, that file as well. The
 * file is written by pino-roll in a worker thread (`pino.transport`), so the main thread only copies
 * each line into a shared buffer; both get the same line, redacted and serialised once by pino.
 */
export function createLogDestination(options: LogDestinationOptions): DestinationStream {
  const console = options.console ?? consoleDestination(options.pretty);
  if (options.file === undefined) return console;
  const file = fileDestination(options.file);
  // Every line reaches both: levels are filtered before pino (by the Logger's gate), not here.
  const both = pino.multistream([
    { level: "trace", stream: console },
    { level: "trace", stream: file },
  ]);
  // If the worker fails later (disk full, file removed with its directory), say so once on stderr and
  // keep logging to the console, rather than crash on an unhandled 'error' or drop lines unseen.
  let failed = false;
  file.on("error", (error: Error) => {
    if (failed) return;
    failed = true;
    const entry = both.streams.find((candidate) => candidate.stream === file) as { id?: number } | undefined;
    if (entry?.id !== undefined) both.remove(entry.id);
    process.stderr.write(
      `keel: log file ${options.file?.path} failed, logging to stdout only: ${error.message}\n`,
    );
  });
  // pino's multistream cannot flush with a callback; PinoLogger.flush waits on this one.
  return Object.assign(both, {
    flush(done: () => void): void {
      flushEach([console, file], done);
    },
  });
}

function consoleDestination(prettyLines: boolean): DestinationStream {
  return prettyLines
    ? pinoPretty().build({
        // Colour only on a terminal: escape codes would litter a file or a pipe.
        colorize: process.stdout.isTTY === true && process.env.NO_COLOR === undefined,
        translateTime: "SYS:HH:MM:ss.l",
        ignore: "pid,hostname",
      })
    : pino.destination({
        dest: 1,
        // Written by the thread pool, not by a blocking write on the event loop, and in batches: a line
        // waits until CONSOLE_BATCH_BYTES have gathered (one write for a dozen or so access lines under
        // load), or at most CONSOLE_FLUSH_MS on a quiet server. PinoLogger.flush drains it on shutdown;
        // pino's exit hook writes what is left synchronously on any exit, a fatal error's included.
        sync: false,
        minLength: CONSOLE_BATCH_BYTES,
        periodicFlush: CONSOLE_FLUSH_MS,
        // stdout as a pipe is non-blocking once Node has touched it: a full pipe answers EAGAIN, and
        // the batch is retried (sonic-boom waits 100 ms) while new lines keep gathering behind it. No
        // line is dropped for a slow reader (no maxLength): the backlog is held in memory instead.
        retryEAGAIN: () => true,
      });
}

/** Bytes of log lines gathered before one write to stdout: about a dozen access lines. */
export const CONSOLE_BATCH_BYTES = 4096;
/** The longest a line waits in the batch when too few follow it to fill one. */
export const CONSOLE_FLUSH_MS = 100;

type WorkerStream = DestinationStream & {
  on(event: "error", listener: (error: Error) => void): void;
};

function fileDestination(file: LogFile): WorkerStream {
  usableDirectory(file.path);
  return pino.transport({
    target: PINO_ROLL,
    options: {
      file: file.path,
      size: pinoRollSize(file.maxBytes),
      // pino-roll's count includes the current file when it also removes files of earlier processes
      // (removeOtherLogFiles), so that the limit holds across restarts too.
      limit: { count: file.keep + 1, removeOtherLogFiles: true },
      mkdir: true,
      // Synchronous writes inside the worker thread, which has nothing else to do: a line the worker
      // has taken is on disk, so a flush needs no second round, and a rotation opens the next file
      // before it counts the files to delete.
      sync: true,
    },
  }) as WorkerStream;
}

/**
 * pino-roll reads a bare number as megabytes; `k` is exact for any byte count (bytes / 1024 is a
 * binary fraction that it multiplies back).
 */
export function pinoRollSize(bytes: number): string {
  return `${bytes / 1024}k`;
}

/** Fails start-up in one line when the file's directory cannot be created or is not writable. */
function usableDirectory(path: string): void {
  const directory = path.endsWith(sep) ? path : dirname(path);
  try {
    mkdirSync(directory, { recursive: true });
  } catch (error) {
    throw new LogFileUnusable(path, `cannot create ${directory}: ${messageOf(error)}`, { cause: error });
  }
  try {
    accessSync(directory, constants.W_OK);
  } catch (error) {
    throw new LogFileUnusable(path, `${directory} is not writable: ${messageOf(error)}`, { cause: error });
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function flushEach(streams: readonly DestinationStream[], done: () => void): void {
  let pending = streams.length;
  const one = () => {
    pending -= 1;
    if (pending === 0) done();
  };
  for (const stream of streams) {
    const flush = (stream as { flush?: (callback: (error?: Error | null) => void) => void }).flush;
    if (typeof flush === "function") flush.call(stream, () => one());
    else one();
  }
}
