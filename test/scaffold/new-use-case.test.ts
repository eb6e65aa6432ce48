import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import * as assert from "uvu/assert";
import { CommandFailed, UsageError } from "../../src/bootstrap/command-errors.js";
import { newCommand } from "../../src/bootstrap/scaffold/new-command.js";
import { cleanEnv, spawnTs } from "../support/child-process.js";
import { suite } from "../support/uvu.js";
import { type Clone, cloneRepository } from "./clone.js";

/**
 * `keel new command` and `keel new query` in a fresh clone where `keel new context invoice` ran, and
 * what every `keel new` refuses: names in use, files that exist, layouts it does not know. Refusals
 * and dry runs are called in process (what they print and throw is the subject); the command and
 * query are written through the real CLI, then type-checked, linted and their specs run.
 */

interface Context {
  clone: Clone;
}

const useCases = suite<Context>("keel new command and keel new query, in a fresh clone");

useCases.before(async (context) => {
  context.clone = await cloneRepository();
  await context.clone.keel("new", "context", "invoice");
  // Committed, so that what each test writes shows as the only change.
  await context.clone.run("git", ["add", "--all"]);
  const author = ["-c", "user.name=keel test", "-c", "user.email=test@keel.local"];
  await context.clone.run("git", [...author, "commit", "--quiet", "-m", "keel new context invoice"]);
});

useCases.after(async ({ clone }) => {
  await clone?.remove();
});

/** `keel new <args>` in process, in the clone: what it printed, and what it refused with if it did. */
function keelNew(clone: Clone, ...args: string[]): { printed: string[]; refused?: Error } {
  const printed: string[] = [];
  try {
    newCommand(
      clone.dir,
      args,
      (line) => printed.push(line),
      () => new Date("2026-12-01T09:30:00Z"),
    );
    return { printed };
  } catch (error) {
    if (!(error instanceof UsageError || error instanceof CommandFailed)) throw error;
    return { printed, refused: error };
  }
}

useCases(
  "when a command and a query are added, then each is bound in the context's module and its spec and code pass tsc, biome and the spec",
  async ({ clone }) => {
    await clone.keel("new", "command", "invoice", "IssueInvoice");
    await clone.keel("new", "query", "invoice", "CountOverdueInvoices");

    const module = await readFile(join(clone.dir, "src/bootstrap/invoice/invoice-context.ts"), "utf8");
    assert.match(
      module,
      /bindCommand\(container, IssueInvoice, IssueInvoiceHandler, \[InvoiceRepository\]\);/,
    );
    assert.match(
      module,
      /bindQuery\(container, CountOverdueInvoices, CountOverdueInvoicesHandler, \[InvoiceReadModel\]\);/,
    );
    assert.equal((await clone.status()).sort(), [
      " M src/bootstrap/invoice/invoice-context.ts",
      "?? src/application/invoice/count-overdue-invoices.ts",
      "?? src/application/invoice/issue-invoice.ts",
      "?? test/application/invoice/count-overdue-invoices.test.ts",
      "?? test/application/invoice/issue-invoice.test.ts",
    ]);

    const changed = (await clone.status()).map((line) => line.slice(3));
    const [biome, typecheck, specs] = await Promise.all([
      clone.run("npx", ["biome", "check", ...changed]),
      clone.run("npx", ["tsc", "--noEmit", "-p", "."]),
      clone.run(process.execPath, [
        "--import",
        "tsx",
        "node_modules/uvu/bin.js",
        "test/application/invoice",
        "(issue-invoice|count-overdue-invoices|invoice-handlers)\\.test\\.ts$",
      ]),
    ]);
    assert.match(biome.stdout, /Checked 5 files/);
    assert.is(typecheck.stdout.trim(), "");
    assert.match(specs.stdout, /issue-invoice\.test\.ts[\s\S]*Total:\s+14\s+Passed:\s+14/);
  },
);

useCases(
  "when run with --dry-run, then it lists every file and line it would write, and writes nothing",
  async ({ clone }) => {
    const before = await clone.status();
    const context = keelNew(clone, "context", "shipment", "--dry-run");
    assert.is(context.refused, undefined);
    assert.ok(
      context.printed.includes("would write src/domain/shipment/shipment.ts"),
      context.printed.join("\n"),
    );
    assert.ok(context.printed.includes("would write test/adapters/shipment/shipment.access.ts"));
    assert.is(context.printed.filter((line) => line.startsWith("would write ")).length, 25);
    assert.equal(
      context.printed.at(-1),
      'would add to src/bootstrap/contexts.ts: shipment: import("./shipment/shipment-context.js"),',
    );

    const command = keelNew(clone, "command", "invoice", "VoidInvoice", "--dry-run");
    assert.equal(command.printed, [
      "would write src/application/invoice/void-invoice.ts",
      "would write test/application/invoice/void-invoice.test.ts",
      'would add to src/bootstrap/invoice/invoice-context.ts: import { VoidInvoice, VoidInvoiceHandler } from "../../application/invoice/void-invoice.js";',
      "would add to src/bootstrap/invoice/invoice-context.ts: bindCommand(container, VoidInvoice, VoidInvoiceHandler, [InvoiceRepository]);",
    ]);
    assert.equal(await clone.status(), before, "nothing written");
  },
);

useCases(
  "given a file it would write exists, then nothing is written and every such file is named",
  async ({ clone }) => {
    const mine = join(clone.dir, "test/application/invoice/void-invoice.test.ts");
    await writeFile(mine, "// a spec of one's own\n");
    const before = await clone.status();
    const { refused, printed } = keelNew(clone, "command", "invoice", "VoidInvoice");
    assert.instance(refused, CommandFailed);
    assert.match(
      refused?.message ?? "",
      /nothing written: these files exist already:\n {2}test\/application\/invoice\/void-invoice\.test\.ts$/,
    );
    assert.equal(printed, []);
    assert.is(await readFile(mine, "utf8"), "// a spec of one's own\n");
    assert.equal(await clone.status(), before, "the module is unchanged and no other file was written");
  },
);

useCases(
  "given a name in use, then it is refused with the reason, and nothing is written",
  async ({ clone }) => {
    const before = await clone.status();
    const refusal = (...args: string[]) => keelNew(clone, ...args).refused?.message ?? "(accepted)";
    assert.match(refusal("context", "invoice"), /invoice is already listed in src\/bootstrap\/contexts\.ts/);
    assert.match(
      refusal("context", "http"),
      /the name http is taken: src\/adapters\/http, test\/adapters\/http exist already/,
    );
    assert.match(refusal("context", "shared"), /shared is reserved/);
    assert.match(refusal("context", "Invoice"), /not kebab-case .*write it invoice/);
    assert.match(refusal("command", "invoice", "CreateInvoice"), /already has a CreateInvoice/);
    assert.match(
      refusal("query", "shipment", "CountShipments"),
      /shipment lacks:\n {2}src\/bootstrap\/shipment\/shipment-context\.ts/,
    );
    assert.match(
      refusal("command", "product", "DiscontinueProduct"),
      /product lacks:\n {2}test\/application\/product\/product-harness\.ts/,
    );
    assert.match(refusal("widget", "x"), /usage: keel new context/);
    assert.match(refusal("context", "order", "--colour"), /unknown option --colour/);
    assert.equal(await clone.status(), before);
  },
);

useCases("given a refused name, then the real CLI exits 64 with the reason on one line", async () => {
  const keel = spawnTs(
    "src/bootstrap/cli.ts",
    ["new", "context", "PurchaseOrder", "--dry-run"],
    cleanEnv({}),
  );
  assert.is(await keel.exited(), 64);
  assert.match(
    keel.stderr(),
    /^keel: the context name "PurchaseOrder" is not kebab-case.*write it purchase-order\n$/,
  );
  assert.is(keel.stdout(), "");
});

useCases.run();
