import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import * as assert from "uvu/assert";
import { ROOT, spawnTs } from "./child-process.js";
import { test } from "./uvu.js";

test("given a suite whose before hook throws, when the tests run, then the run fails and prints the hook's error", async () => {
  const run = spawnTs("node_modules/uvu/bin.js", ["test/fixtures", "throwing-before-hook", "--color=false"], {
    ...process.env,
    FORCE_COLOR: "0",
  });
  const code = await run.exited();
  assert.is(code, 1, run.stdout());
  assert.match(run.stdout(), /the before hook of suite "broken setup" failed/);
  assert.match(run.stdout(), /the database for this suite could not be opened/);
  assert.match(run.stdout(), /Passed:\s+0/);
});

test("every test file takes suite and test from test/support/uvu.ts, so no hook failure is swallowed", () => {
  const direct = testFiles(join(ROOT, "test"))
    .filter((file) => !file.endsWith(join("support", "uvu.ts")))
    .filter((file) => /from ["']uvu["']/.test(readFileSync(file, "utf8")))
    .map((file) => relative(ROOT, file));
  assert.equal(direct, []);
});

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return testFiles(path);
    return entry.name.endsWith(".ts") ? [path] : [];
  });
}

test.run();
