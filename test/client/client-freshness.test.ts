import { mkdtempSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as assert from "uvu/assert";
import { clientTypes, printedDocument, typesFile, VERSIONS } from "../../client/generate.js";
import { appConfig, loadConfig } from "../../src/bootstrap/app-config.js";
import { ConfigStore } from "../../src/bootstrap/config/index.js";
import { buildContainer } from "../../src/bootstrap/container.js";
import { Tokens } from "../../src/bootstrap/tokens.js";
import { suite } from "../support/uvu.js";

type Document = Record<string, unknown>;

/** Why the checked-in types are not what `make client` would write now, or undefined when they are. */
function staleness(version: string, generated: string, checkedIn: string | undefined): string | undefined {
  if (generated === checkedIn) return undefined;
  const file = `client/${version}.d.ts`;
  if (checkedIn === undefined) return `${file} is missing: run make client`;
  const now = generated.split("\n");
  const then = checkedIn.split("\n");
  let line = 0;
  while (now[line] === then[line]) line++;
  return `${file} is stale: run make client (line ${line + 1} would be ${JSON.stringify(now[line] ?? "(end)")}, is ${JSON.stringify(then[line] ?? "(end)")})`;
}

const checkedIn = (version: string) => readFile(typesFile(version), "utf8").catch(() => undefined);

const freshness = suite<{ documents: Record<string, Document> }>("typed client freshness");
freshness.before(async (context) => {
  const printed = await Promise.all(VERSIONS.map(printedDocument));
  context.documents = Object.fromEntries(VERSIONS.map((version, i) => [version, printed[i] as Document]));
});

freshness(
  "given the documents keel openapi prints now, when the types are regenerated, then they are the checked-in ones",
  async ({ documents }) => {
    for (const version of VERSIONS) {
      const stale = staleness(
        version,
        await clientTypes(version, documents[version] as Document),
        await checkedIn(version),
      );
      assert.is(stale, undefined, stale);
    }
  },
);

freshness(
  "given a schema changed after its types were generated, when compared, then they are reported stale",
  async ({ documents }) => {
    const changed = structuredClone(documents.v1) as Document & {
      components: { schemas: { ProductV1: { properties: Record<string, unknown> } } };
    };
    changed.components.schemas.ProductV1.properties.colour = { type: "string" };
    // Against the types of the unchanged document, so this holds whatever state client/v1.d.ts is in.
    const before = await clientTypes("v1", documents.v1 as Document);
    const stale = staleness("v1", await clientTypes("v1", changed), before);
    assert.ok(stale?.startsWith("client/v1.d.ts is stale: run make client"), stale);
    assert.match(stale ?? "", "colour");
  },
);

freshness(
  "given one document, when its types are generated twice, then the two are byte-identical",
  async ({ documents }) => {
    const document = documents.v2 as Document;
    assert.is(await clientTypes("v2", document), await clientTypes("v2", document));
  },
);

freshness("given the API versions keel serves, then each one has a generated client", () => {
  const read = () =>
    loadConfig({ env: { APP_ENV: "test" }, dir: mkdtempSync(join(tmpdir(), "keel-client-")) });
  const loaded = read();
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.issues));
  const documents = buildContainer(
    new ConfigStore({ definition: appConfig, config: loaded.config, reread: read }),
  ).get<Record<string, Document>>(Tokens.OpenApiDocuments);
  assert.equal(
    Object.keys(documents).sort(),
    [...VERSIONS].sort(),
    "a new API version: add it to VERSIONS in client/generate.ts and run make client",
  );
});

freshness.run();
