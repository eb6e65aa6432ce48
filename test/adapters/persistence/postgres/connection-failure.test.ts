/**
 * Which driver errors mean "the database is unavailable" (a 503 that a retry may fix) and which are
 * answers about the statement (a bug or a business rule, never a 503).
 */
import * as assert from "uvu/assert";
import {
  isConnectionFailure,
  translated,
} from "../../../../src/adapters/persistence/kysely/postgres-connection-failure.js";
import { DependencyUnavailable } from "../../../../src/ports/dependency-unavailable.js";
import { test } from "../../../support/uvu.js";

function coded(code: string, message = `error ${code}`): Error {
  return Object.assign(new Error(message), { code });
}

const UNAVAILABLE: Record<string, Error> = {
  "connection refused": coded("ECONNREFUSED", "connect ECONNREFUSED 127.0.0.1:5432"),
  "connection reset": coded("ECONNRESET", "read ECONNRESET"),
  "write to a closed socket": coded("EPIPE", "write EPIPE"),
  "host not found": coded("ENOTFOUND", "getaddrinfo ENOTFOUND db"),
  "connection lost": new Error("Connection terminated unexpectedly"),
  "pool connect timeout": new Error("Connection terminated due to connection timeout", {
    cause: new Error("Connection terminated unexpectedly"),
  }),
  "client connect timeout": new Error("timeout expired"),
  "no pooled connection in time": new Error("timeout exceeded when trying to connect"),
  "client-side query timeout": new Error("Query read timeout"),
  "client already broken": new Error("Client has encountered a connection error and is not queryable"),
  "SQLSTATE 08006 connection failure": coded("08006"),
  "SQLSTATE 08001 cannot establish": coded("08001"),
  "SQLSTATE 57P01 admin shutdown (pg_terminate_backend)": coded("57P01"),
  "SQLSTATE 57P02 crash shutdown": coded("57P02"),
  "SQLSTATE 57P03 cannot connect now (starting up)": coded("57P03"),
  "SQLSTATE 53300 too many connections": coded("53300"),
  "a refusal wrapped as the cause": new Error("query failed", { cause: coded("ECONNREFUSED") }),
};

const ANSWERS: Record<string, unknown> = {
  "SQLSTATE 23505 unique violation": coded("23505"),
  "SQLSTATE 40001 serialization failure": coded("40001"),
  "SQLSTATE 57014 statement timeout": coded("57014", "canceling statement due to statement timeout"),
  "SQLSTATE 22012 division by zero": coded("22012"),
  "SQLSTATE 42P01 undefined table": coded("42P01"),
  "a plain bug": new TypeError("cannot read properties of undefined"),
  "not an Error": "ECONNREFUSED",
};

for (const [name, error] of Object.entries(UNAVAILABLE)) {
  test(`given ${name}, then the database is unavailable: DependencyUnavailable with Retry-After`, () => {
    assert.ok(isConnectionFailure(error));
    const result = translated(error);
    assert.instance(result, DependencyUnavailable);
    assert.is((result as DependencyUnavailable).dependency, "database");
    assert.ok((result as DependencyUnavailable).retryAfterSeconds >= 1);
    assert.is((result as DependencyUnavailable).cause, error, "the driver's error stays as the cause");
  });
}

for (const [name, error] of Object.entries(ANSWERS)) {
  test(`given ${name}, then it is an answer, not an outage: the error passes unchanged`, () => {
    assert.not.ok(isConnectionFailure(error));
    assert.is(translated(error), error);
  });
}

test("given an error that is already DependencyUnavailable, then it is not wrapped again", () => {
  const unavailable = new DependencyUnavailable("database", 2, { cause: coded("ECONNRESET") });
  assert.is(translated(unavailable), unavailable);
});

test.run();
