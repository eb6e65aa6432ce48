import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { copyFile, mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import * as assert from "uvu/assert";
import { test } from "./support/uvu.js";

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, "..");
const CRUISER = join(ROOT, "node_modules/dependency-cruiser/bin/dependency-cruise.mjs");

interface Violation {
  readonly from: string;
  readonly to: string;
  readonly rule: { readonly name: string };
}

/** Runs dependency-cruiser with keel's rules over `dir`'s src/ and plugins/ and returns the violations. */
async function violations(dir: string): Promise<Violation[]> {
  const { stdout } = await run(
    process.execPath,
    [
      CRUISER,
      ...["src", "plugins"].filter((folder) => existsSync(join(dir, folder))),
      "--config",
      join(ROOT, ".dependency-cruiser.cjs"),
      "--output-type",
      "json",
      "--no-progress",
    ],
    { cwd: dir, maxBuffer: 64 * 1024 * 1024 },
  ).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? "" }));
  return (JSON.parse(stdout) as { summary: { violations: Violation[] } }).summary.violations;
}

test("keel's own source keeps every import rule of ARCHITECTURE.md", async () => {
  const found = await violations(ROOT);
  assert.equal(
    found.map((v) => `${v.rule.name}: ${v.from} -> ${v.to}`),
    [],
  );
});

test("given a domain file importing a database driver, or application code importing an adapter, the check fails", async () => {
  const dir = await mkdtemp(join(tmpdir(), "keel-arch-"));
  try {
    await mkdir(join(dir, "src/domain"), { recursive: true });
    await mkdir(join(dir, "src/application"), { recursive: true });
    await mkdir(join(dir, "src/adapters"), { recursive: true });
    await symlink(join(ROOT, "node_modules"), join(dir, "node_modules"));
    await copyFile(join(ROOT, "tsconfig.json"), join(dir, "tsconfig.json"));
    await writeFile(
      join(dir, "src/domain/order.ts"),
      'import Koa from "koa";\nexport const app = new Koa();\n',
    );
    await writeFile(join(dir, "src/adapters/store.ts"), "export const store = 1;\n");
    await writeFile(
      join(dir, "src/application/place-order.ts"),
      'import { store } from "../adapters/store.js";\nexport const x = store;\n',
    );

    const rules = (await violations(dir)).map((v) => `${v.rule.name}: ${v.from}`).sort();

    assert.equal(rules, [
      "application-sees-domain-and-ports: src/application/place-order.ts",
      "domain-is-pure: src/domain/order.ts",
    ]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("given foundation code importing the example product context, the check fails; the context list may", async () => {
  const dir = await mkdtemp(join(tmpdir(), "keel-arch-"));
  try {
    await mkdir(join(dir, "src/domain/product"), { recursive: true });
    await mkdir(join(dir, "src/bootstrap"), { recursive: true });
    await symlink(join(ROOT, "node_modules"), join(dir, "node_modules"));
    await copyFile(join(ROOT, "tsconfig.json"), join(dir, "tsconfig.json"));
    await writeFile(join(dir, "src/domain/product/product.ts"), "export const product = 1;\n");
    const importing = 'import { product } from "../domain/product/product.js";\nexport const x = product;\n';
    await writeFile(join(dir, "src/bootstrap/container.ts"), importing);
    await writeFile(join(dir, "src/bootstrap/contexts.ts"), importing);

    const rules = (await violations(dir)).map((v) => `${v.rule.name}: ${v.from}`);

    assert.equal(rules, ["example-context-is-removable: src/bootstrap/container.ts"]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

/** Writes `files` (path → source) under `dir`, creating folders as needed. */
async function writeSources(dir: string, files: Readonly<Record<string, string>>): Promise<void> {
  for (const [path, source] of Object.entries(files)) {
    await mkdir(join(dir, path, ".."), { recursive: true });
    await writeFile(join(dir, path), source);
  }
}

test("given a plugin breaking the layer rule inside itself, foundation code importing a plugin, or a plugin reaching into another, the check fails; a plugin's manifest and another's ports may be imported", async () => {
  const dir = await mkdtemp(join(tmpdir(), "keel-arch-"));
  try {
    await symlink(join(ROOT, "node_modules"), join(dir, "node_modules"));
    await copyFile(join(ROOT, "tsconfig.json"), join(dir, "tsconfig.json"));
    const exporting = (name: string) => `export const ${name} = 1;\n`;
    const importing = (from: string, name: string) =>
      `import { ${name} } from "${from}";\nexport const uses${name} = ${name};\n`;
    await writeSources(dir, {
      "src/bootstrap/lifecycle.ts": exporting("lifecycle"),
      "src/bootstrap/container.ts": importing("../../plugins/audit/index.js", "manifest"),
      "plugins/audit/domain/entry.ts": 'import Koa from "koa";\nexport const entry = new Koa();\n',
      "plugins/audit/ports/trail.ts": exporting("trail"),
      "plugins/audit/adapters/sql/store.ts": importing("../../index.js", "manifest"),
      "plugins/audit/adapters/memory/store.ts": importing(
        "../../../../src/bootstrap/lifecycle.js",
        "lifecycle",
      ),
      "plugins/audit/application/record.ts": importing("../adapters/memory/store.js", "useslifecycle"),
      "plugins/audit/index.ts": `${importing("./application/record.js", "usesuseslifecycle")}export const manifest = 1;\n`,
      "plugins/reports/index.ts": importing("../audit/ports/trail.js", "trail"),
      "plugins/reports/application/read.ts": importing(
        "../../audit/application/record.js",
        "usesuseslifecycle",
      ),
    });

    const rules = (await violations(dir)).map((v) => `${v.rule.name}: ${v.from}`).sort();

    assert.equal(rules, [
      "core-is-plugin-agnostic: src/bootstrap/container.ts",
      "plugin-adapters-never-reach-bootstrap: plugins/audit/adapters/memory/store.ts",
      "plugin-adapters-never-reach-bootstrap: plugins/audit/adapters/sql/store.ts",
      "plugin-application-sees-domain-and-ports: plugins/audit/application/record.ts",
      "plugin-application-sees-domain-and-ports: plugins/reports/application/read.ts",
      "plugin-domain-is-pure: plugins/audit/domain/entry.ts",
      "plugins-meet-through-ports: plugins/reports/application/read.ts",
    ]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test.run();
