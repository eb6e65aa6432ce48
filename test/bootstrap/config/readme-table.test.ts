import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import * as assert from "uvu/assert";
import { appConfig } from "../../../src/bootstrap/app-config.js";
import { configTableMarkdown, configTableRows } from "../../../src/bootstrap/config/index.js";
import { test } from "../../support/uvu.js";

/** Table cells without alignment padding, so a Markdown formatter's column widths do not matter. */
function cells(markdown: string): string {
  return markdown
    .split("\n")
    .map((line) =>
      line
        .trim()
        .replace(/\s*\|\s*/g, "|")
        .replace(/\|-+(?=\|)/g, "|-"),
    )
    .join("\n");
}

test("the README's configuration table is the one the definition generates", () => {
  const readme = readFileSync(resolve(import.meta.dirname, "../../../README.md"), "utf8");
  assert.ok(
    cells(readme).includes(cells(configTableMarkdown(configTableRows(appConfig)).trim())),
    "README.md is out of date: paste the output of `node --import tsx src/bootstrap/config/print-config-table.ts`",
  );
});

test.run();
