import * as assert from "uvu/assert";
import { apiIncompatibility, KEEL_PLUGIN_API } from "../../../src/bootstrap/plugins/plugin-api.js";
import { test } from "../../support/uvu.js";

/** keel's plugin API is major.minor: a minor adds to it, a major changes it. */

test("given a plugin written for keel's own plugin API, then it runs", () => {
  assert.is(apiIncompatibility(KEEL_PLUGIN_API), undefined);
});

test("given keel at 1.3, then plugins written for 1.0 to 1.3 run, and neither 1.4 nor another major", () => {
  assert.is(apiIncompatibility("1.0", "1.3"), undefined);
  assert.is(apiIncompatibility("1.3", "1.3"), undefined);
  assert.is(
    apiIncompatibility("1.4", "1.3"),
    "needs keel plugin API 1.4, and this keel offers 1.3: it runs plugins written for 1.0 to 1.3",
  );
  assert.ok(apiIncompatibility("0.9", "1.3"));
  assert.ok(apiIncompatibility("2.0", "1.3"));
});

test("given a version that is not major.minor, then the plugin is refused saying so", () => {
  for (const wanted of ["1", "1.0.0", "v1.0", "^1.0", "01.0", ""])
    assert.is(
      apiIncompatibility(wanted, "1.0"),
      `declares keel plugin API "${wanted}", which is not major.minor (e.g. "1.0")`,
      wanted,
    );
});

test.run();
