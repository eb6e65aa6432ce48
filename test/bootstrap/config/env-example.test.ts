import { readFileSync } from "node:fs";
import * as assert from "uvu/assert";
import { appConfig } from "../../../src/bootstrap/app-config.js";
import { test } from "../../support/uvu.js";

const example = readFileSync(new URL("../../../.env.example", import.meta.url), "utf8");

/** `KEY=value` lines, commented out or not. */
const assignments = new Map(
  [...example.matchAll(/^#? ?([A-Z][A-Z0-9_]*)=(.*)$/gm)].map(([, key = "", value = ""]) => [key, value]),
);

test("given .env.example, then it mentions every key of the definition", () => {
  for (const entry of appConfig.entries) {
    const documented = entry.kind === "setting" ? assignments.has(entry.key) : example.includes(entry.key);
    assert.ok(documented, `${entry.key} is missing from .env.example`);
  }
});

test("given .env.example, then every key it sets is known and shows its development default", () => {
  for (const [key, value] of assignments) {
    const entry = appConfig.entries.find((candidate) =>
      candidate.kind === "setting" ? candidate.key === key : key.startsWith(candidate.prefix),
    );
    assert.ok(entry, `${key} in .env.example is not a known key`);
    if (entry?.kind === "setting") {
      const defaults = entry.meta.default;
      // A default made from the contexts changes with each one added: the example leaves it empty.
      const shown =
        entry.meta.composedDefault !== undefined
          ? ""
          : typeof defaults === "object"
            ? defaults.development
            : defaults;
      assert.is(value, shown, key);
    }
  }
});

test.run();
