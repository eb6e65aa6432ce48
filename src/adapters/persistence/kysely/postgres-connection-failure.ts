import { DependencyUnavailable } from "../../../ports/dependency-unavailable.js";

/** When a client should try again: a restart or a failover takes seconds; sooner only adds load. */
export const DATABASE_RETRY_AFTER_S = 2;

/** Socket errors: the server cannot be reached, or the connection to it broke. */
const SOCKET_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ECONNABORTED",
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
]);

/**
 * SQLSTATEs of a server that is going away or cannot take the session now: the connection exception
 * class (08), admin and crash shutdown (57P01, 57P02), starting up or recovering (57P03), and too many
 * connections (53300). Every other SQLSTATE is an answer about the statement, not about the server.
 */
const SERVER_CODES = new Set(["57P01", "57P02", "57P03", "53300"]);

/**
 * pg's own errors carry no code: a connection lost or ended ("Connection terminated unexpectedly",
 * "... due to connection timeout"), a connection not opened in time (the client's and the pool's
 * wording), the client-side query timeout, and a client whose connection already failed.
 */
const DRIVER_MESSAGES = [
  /^Connection terminated/,
  /^timeout expired$/,
  /^timeout exceeded when trying to connect$/,
  /^Query read timeout$/,
  /is not queryable$/,
];

/** Whether `error` says the database could not be reached or stopped answering (not what it answered). */
export function isConnectionFailure(error: unknown): boolean {
  for (let current = error, depth = 0; current instanceof Error && depth < 5; depth++) {
    const code = (current as { code?: unknown }).code;
    if (
      typeof code === "string" &&
      (SOCKET_CODES.has(code) || SERVER_CODES.has(code) || code.startsWith("08"))
    )
      return true;
    const message = current.message;
    if (DRIVER_MESSAGES.some((pattern) => pattern.test(message))) return true;
    current = current.cause;
  }
  return false;
}

export function databaseUnavailable(cause: unknown): DependencyUnavailable {
  return new DependencyUnavailable("database", DATABASE_RETRY_AFTER_S, { cause });
}

/** A connection failure becomes DependencyUnavailable; any other error stays as it is. */
export function translated(error: unknown): unknown {
  if (error instanceof DependencyUnavailable) return error;
  return isConnectionFailure(error) ? databaseUnavailable(error) : error;
}
