import * as assert from "uvu/assert";
import { entityTag, expectedVersions, notModified } from "../../../src/adapters/http/entity-tag.js";
import { test } from "../../support/uvu.js";

const id = "5f0c6a52-8d0e-4c1b-9a57-0b8f5e2d4c11";
const other = "0b0c6a52-8d0e-4c1b-9a57-0b8f5e2d4c11";

test("a resource's tag is strong and names the API version, the id and the version", () => {
  assert.is(entityTag("v2", { id, version: 7 }), `"v2:${id}:7"`);
});

test("given the current tag, If-None-Match holds for it, its weak form, a list holding it, and *", () => {
  const current = entityTag("v1", { id, version: 3 });
  assert.ok(notModified(current, current));
  assert.ok(notModified(`W/${current}`, current), "If-None-Match uses the weak comparison");
  assert.ok(notModified(`"v1:${other}:3", ${current}`, current));
  assert.ok(notModified("*", current));
});

test("given the current tag, If-None-Match does not hold for another version, another API version, nothing, or garbage", () => {
  const current = entityTag("v1", { id, version: 3 });
  assert.not.ok(notModified(entityTag("v1", { id, version: 2 }), current));
  assert.not.ok(notModified(entityTag("v2", { id, version: 3 }), current));
  assert.not.ok(notModified("", current));
  assert.not.ok(notModified("v1:whatever", current));
});

test("when If-Match is absent or *, then no version is expected", () => {
  assert.is(expectedVersions("", "v1", id), undefined);
  assert.is(expectedVersions("  ", "v1", id), undefined);
  assert.is(expectedVersions("*", "v1", id), undefined);
});

test("when If-Match lists this resource's strong tags, then their versions are expected", () => {
  assert.equal(expectedVersions(`"v1:${id}:4"`, "v1", id), [4]);
  assert.equal(expectedVersions(` "v1:${id}:4" ,"v1:${id}:5"`, "v1", id), [4, 5]);
});

test("when If-Match names only weak tags, other resources, other API versions or no tag at all, then no version can match", () => {
  assert.equal(expectedVersions(`W/"v1:${id}:4"`, "v1", id), [], "If-Match uses the strong comparison");
  assert.equal(expectedVersions(`"v1:${other}:4"`, "v1", id), []);
  assert.equal(expectedVersions(`"v2:${id}:4"`, "v1", id), []);
  assert.equal(expectedVersions("4", "v1", id), []);
  assert.equal(expectedVersions(`"v1:${id}:four"`, "v1", id), []);
});

test.run();
