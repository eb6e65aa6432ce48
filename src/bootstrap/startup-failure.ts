import { LogFileUnusable } from "../adapters/logging/log-destination.js";
import { DataDirectoryLocked } from "../adapters/persistence/pglite/directory-lock.js";
import { DependencyUnavailable } from "../ports/dependency-unavailable.js";
import { CONFIG_EXIT_CODE } from "./config/index.js";
import { ContributionConflict } from "./context/contributions.js";
import { ComponentFailedToStart } from "./lifecycle.js";
import { PluginRefused } from "./plugins/plugin-refused.js";

/** sysexits.h EX_UNAVAILABLE: something keel needs at start is not there; a supervisor may retry. */
export const UNAVAILABLE_EXIT_CODE = 69;

/** Socket and DNS failures: the address is wrong or nothing answers there. */
const UNREACHABLE = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ETIMEDOUT",
  "EHOSTUNREACH",
]);
/** The listening port is taken or not ours to bind. */
const UNBINDABLE = new Set(["EADDRINUSE", "EACCES", "EADDRNOTAVAIL"]);
/**
 * PostgreSQL's refusals at connect time: wrong password or user (28xxx), no such database (3D000),
 * too many connections (53300), starting up or shutting down (57P03).
 */
const REFUSED_BY_POSTGRES = /^(28|3D000|53300|57P0)/;

export interface StartupFailure {
  /** One line for standard error: what could not start and why, without a stack. */
  readonly line: string;
  readonly exitCode: number;
}

/**
 * Turns a failed start into what an operator needs: an unavailable dependency (a wrong database URL,
 * port or user, a broker that is down, a port in use, an embedded database another process holds)
 * is one line and exit 69; a LOG__FILE whose directory cannot be created or written, a plugin keel
 * refuses (not found, incompatible, a dependency missing or circular) and two contexts or plugins
 * claiming one name are one line and exit 78, like any other configuration keel cannot use; anything
 * else is a bug, reported with its stack and exit 1.
 */
export function describeStartupFailure(error: unknown): StartupFailure {
  if (error instanceof PluginRefused || error instanceof ContributionConflict) {
    return { line: `keel: cannot start: ${error.message}`, exitCode: CONFIG_EXIT_CODE };
  }
  if (error instanceof LogFileUnusable) {
    return {
      line: `keel: cannot start: LOG__FILE=${error.path} cannot be written: ${error.reason}`,
      exitCode: CONFIG_EXIT_CODE,
    };
  }
  const component = error instanceof ComponentFailedToStart ? error.component : undefined;
  const cause = error instanceof ComponentFailedToStart ? error.cause : error;
  if (unavailable(cause)) {
    const reason = innermostMessage(cause);
    return {
      line: `keel: cannot start: ${component === undefined ? "" : `${component} unavailable: `}${reason}`,
      exitCode: UNAVAILABLE_EXIT_CODE,
    };
  }
  const detail = cause instanceof Error ? (cause.stack ?? cause.message) : String(cause);
  return {
    line: `keel: ${component === undefined ? "" : `${component} failed to start: `}${detail}`,
    exitCode: 1,
  };
}

function unavailable(error: unknown): boolean {
  for (let current = error; current !== undefined && current !== null; current = (current as Error).cause) {
    if (current instanceof DependencyUnavailable || current instanceof DataDirectoryLocked) return true;
    const code = (current as { code?: unknown }).code;
    if (
      typeof code === "string" &&
      (UNREACHABLE.has(code) || UNBINDABLE.has(code) || REFUSED_BY_POSTGRES.test(code))
    )
      return true;
    if (current instanceof AggregateError && current.errors.some(unavailable)) return true;
    if (!(current instanceof Error)) return false;
  }
  return false;
}

/** The driver's own words are the most precise (`connect ECONNREFUSED 127.0.0.1:5433`). */
function innermostMessage(error: unknown): string {
  let message = error instanceof Error ? error.message : String(error);
  for (let current = error; current instanceof Error; current = current.cause) {
    if (current instanceof AggregateError && current.errors[0] instanceof Error)
      message = current.errors[0].message;
    else if (current.message !== "") message = current.message;
  }
  return message;
}
