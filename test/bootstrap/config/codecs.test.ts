import { isRight } from "fp-ts/lib/Either.js";
import type * as t from "io-ts";
import * as assert from "uvu/assert";
import {
  boolean,
  httpUrl,
  integer,
  optionalIsoDate,
  origins,
  ratio,
} from "../../../src/bootstrap/config/codecs.js";
import { test } from "../../support/uvu.js";

function decoded<A>(codec: t.Type<A, string, unknown>, raw: string): A | "refused" {
  const result = codec.decode(raw);
  return isRight(result) ? result.right : "refused";
}

test("given integer strings, when decoded, then only whole numbers within the range pass", () => {
  const port = integer(0, 65535);
  assert.is(decoded(port, "0"), 0);
  assert.is(decoded(port, "65535"), 65535);
  for (const raw of ["65536", "-1", "80.5", "1e3", "080", " 80", ""])
    assert.is(decoded(port, raw), "refused", raw);
});

test("given boolean strings, when decoded, then true/1 and false/0 are the only spellings", () => {
  assert.is(decoded(boolean, "true"), true);
  assert.is(decoded(boolean, "1"), true);
  assert.is(decoded(boolean, "false"), false);
  assert.is(decoded(boolean, "0"), false);
  for (const raw of ["yes", "TRUE", ""]) assert.is(decoded(boolean, raw), "refused", raw);
});

test("given origin lists, when decoded, then only canonical http(s) origins or * pass, and empty means none", () => {
  assert.equal(decoded(origins, ""), []);
  assert.equal(decoded(origins, "*"), ["*"]);
  assert.equal(decoded(origins, "https://a.example:8443 , http://b.example"), [
    "https://a.example:8443",
    "http://b.example",
  ]);
  for (const raw of [
    "https://a.example/",
    "http://A.example",
    "http://a.example:80",
    "a.example",
    "https://a.example,",
  ]) {
    assert.is(decoded(origins, raw), "refused", raw);
  }
});

test("given origin lists, when one is not canonical, then the error says how to write it", () => {
  const result = origins.decode("http://A.example:80");
  assert.ok(
    !isRight(result) &&
      result.left[0]?.message === '"http://A.example:80" is not canonical, write http://a.example',
  );
});

test("given dates, when decoded, then real calendar days pass and empty means none", () => {
  assert.is(decoded(optionalIsoDate, "2026-06-30"), "2026-06-30");
  assert.is(decoded(optionalIsoDate, ""), undefined);
  for (const raw of ["2025-02-30", "2026-6-30", "30/06/2026"])
    assert.is(decoded(optionalIsoDate, raw), "refused", raw);
});

test("given sampling ratios, when decoded, then only decimals from 0 to 1 pass", () => {
  assert.is(decoded(ratio, "0"), 0);
  assert.is(decoded(ratio, "1"), 1);
  assert.is(decoded(ratio, "0.25"), 0.25);
  assert.is(decoded(ratio, ".5"), 0.5);
  for (const raw of ["1.5", "-0.1", "10%", "1e-1", "", "half"])
    assert.is(decoded(ratio, raw), "refused", raw);
});

test("given collector endpoints, when decoded, then only http(s) addresses with a host pass", () => {
  assert.is(decoded(httpUrl, "http://127.0.0.1:4318/v1/traces"), "http://127.0.0.1:4318/v1/traces");
  assert.is(decoded(httpUrl, "https://otel.example/v1/traces"), "https://otel.example/v1/traces");
  for (const raw of ["127.0.0.1:4318", "grpc://otel:4317", "http://", "http:// spaced", ""])
    assert.is(decoded(httpUrl, raw), "refused", raw);
});

test.run();
