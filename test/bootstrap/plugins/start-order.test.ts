import * as assert from "uvu/assert";
import { definePlugin } from "../../../src/bootstrap/plugins/plugin-manifest.js";
import { PluginRefused } from "../../../src/bootstrap/plugins/plugin-refused.js";
import { startOrder } from "../../../src/bootstrap/plugins/start-order.js";
import { test } from "../../support/uvu.js";

const plugin = (name: string, dependsOn: string[] = [], keelApi = "1.0") =>
  definePlugin({ name, version: "1.0.0", keelApi, dependsOn });

const names = (plugins: readonly { name: string }[]) => plugins.map((p) => p.name);

function refusal(action: () => unknown): PluginRefused {
  try {
    action();
  } catch (error) {
    assert.instance(error, PluginRefused);
    return error as PluginRefused;
  }
  return assert.unreachable("the plugins were accepted") as never;
}

test("given plugins without dependencies, then they start in the order listed", () => {
  assert.equal(names(startOrder([plugin("c"), plugin("a"), plugin("b")])), ["c", "a", "b"]);
});

test("given a diamond listed backwards, then each starts after everything it depends on, and only once", () => {
  const ordered = startOrder([
    plugin("reports", ["audit", "metrics"]),
    plugin("metrics", ["core"]),
    plugin("audit", ["core"]),
    plugin("core"),
  ]);

  assert.equal(names(ordered), ["core", "audit", "metrics", "reports"]);
});

test("given a plugin depending on itself, then it is refused as a cycle of one", () => {
  assert.is(
    refusal(() => startOrder([plugin("ouroboros", ["ouroboros"])])).message,
    "plugin ouroboros is in a dependency cycle: ouroboros → ouroboros",
  );
});

test("given a cycle deeper in the graph, then the refusal names the plugin where it closes and the whole loop", () => {
  const error = refusal(() =>
    startOrder([plugin("app", ["x"]), plugin("x", ["y"]), plugin("y", ["z"]), plugin("z", ["x"])]),
  );

  assert.is(error.plugin, "x");
  assert.is(error.message, "plugin x is in a dependency cycle: x → y → z → x");
});

test("given an incompatible plugin and a missing dependency, then the incompatibility is reported first: it is about the plugin itself", () => {
  const error = refusal(() => startOrder([plugin("old", [], "0.9"), plugin("needy", ["absent"])]));

  assert.is(error.plugin, "old");
});

test.run();
