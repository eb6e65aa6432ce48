import type { ContextNames, NameForms } from "../names.js";
import { fit, type GeneratedFile, hugged } from "./template.js";

/**
 * One command or query of a context `keel new context` made, and its handler spec. The handler is
 * the use case's frame, working as it stands: a command loads the aggregate and saves it, a query
 * answers one view; what the use case decides or asks is then written into it.
 */

export function commandFiles(n: ContextNames, u: NameForms): GeneratedFile[] {
  return [
    {
      path: `src/application/${n.kebab}/${u.kebab}.ts`,
      content: `import { ${n.camel}Id } from "../../domain/${n.kebab}/${n.kebab}-id.js";
import type { ${n.pascal}Repository } from "../../ports/${n.kebab}/${n.kebab}-repository.js";
import type { ExecutionContext } from "../shared/execution-context.js";
import { Command, type Handler } from "../shared/message.js";
import { NotFound } from "../shared/not-found.js";
import { requiresPermission } from "../shared/requirement.js";
import type { Written } from "../shared/written.js";
import { ${n.constant}_WRITE } from "./${n.kebab}-permissions.js";

export class ${u.pascal} extends Command<Written> {
  constructor(
    context: ExecutionContext,
    readonly input: { readonly id: string },
  ) {
    super(context);
  }
}

/**
 * Loads the ${n.words}, has it decide, and saves it: the decision is a method of ${n.pascal} that checks
 * its rules and records an event (then evolve${n.pascal} applies it). Until one is called here, nothing
 * changes and the ${n.words} stays at its version.
 */
export class ${u.pascal}Handler implements Handler<${u.pascal}> {
  readonly requires = requiresPermission(${n.constant}_WRITE);

  constructor(private readonly ${n.plural.camel}: ${n.pascal}Repository) {}

  async handle({ input }: ${u.pascal}): Promise<Written> {
    const ${n.camel} = await this.${n.plural.camel}.get(${n.camel}Id(input.id));
    if (${n.camel} === undefined) throw new NotFound("${n.words}", input.id);
    await this.${n.plural.camel}.save(${n.camel});
    return { id: ${n.camel}.id, version: ${n.camel}.version };
  }
}
`,
    },
    {
      path: `test/application/${n.kebab}/${u.kebab}.test.ts`,
      content: `import * as assert from "uvu/assert";
import { ${u.pascal}, ${u.pascal}Handler } from "../../../src/application/${n.kebab}/${u.kebab}.js";
import { ${n.constant}_WRITE } from "../../../src/application/${n.kebab}/${n.kebab}-permissions.js";
import { Forbidden } from "../../../src/application/shared/authorization.js";
import { NotFound } from "../../../src/application/shared/not-found.js";
import { rejects } from "../../support/rejects.js";
import { test } from "../../support/uvu.js";
import { existing${n.pascal}, holding, ${n.camel}Harness } from "./${n.kebab}-harness.js";

const writer = holding(${n.constant}_WRITE);
const UNKNOWN = "7d1f0000-0000-4000-8000-000000000000";

function harness() {
  const h = ${n.camel}Harness();
${fit(
  `  h.commands.register(${u.pascal}, new ${u.pascal}Handler(h.repository));`,
  `  h.commands.register(\n    ${u.pascal},\n    new ${u.pascal}Handler(h.repository),\n  );`,
)}
  return h;
}

test("given ${n.aWords}, when ${u.pascal}, then it answers the ${n.words}'s id and version", async () => {
  const h = harness();
  const id = await existing${n.pascal}(h);
  const written = await h.commands.dispatch(new ${u.pascal}(writer, { id }));
  assert.equal(written, { id, version: 1 });
});

test("when ${u.pascal} names an unknown ${n.words}, then NotFound", async () => {
  const { commands } = harness();
  const unknown = () => commands.dispatch(new ${u.pascal}(writer, { id: UNKNOWN }));
  await rejects(unknown, NotFound);
});

test("when someone without ${n.kebab}:write sends ${u.pascal}, then Forbidden", async () => {
  const h = harness();
  const id = await existing${n.pascal}(h);
  const unpermitted = () => h.commands.dispatch(new ${u.pascal}(holding(), { id }));
  await rejects(unpermitted, Forbidden);
});

test.run();
`,
    },
  ];
}

export function queryFiles(n: ContextNames, u: NameForms): GeneratedFile[] {
  return [
    {
      path: `src/application/${n.kebab}/${u.kebab}.ts`,
      content: `import { ${n.camel}Id } from "../../domain/${n.kebab}/${n.kebab}-id.js";
import type { ${n.pascal}ReadModel, ${n.pascal}View } from "../../ports/${n.kebab}/${n.kebab}-read-model.js";
import type { ExecutionContext } from "../shared/execution-context.js";
import { type Handler, Query } from "../shared/message.js";
import { NotFound } from "../shared/not-found.js";
import { requiresPermission } from "../shared/requirement.js";
import { ${n.constant}_READ } from "./${n.kebab}-permissions.js";

export class ${u.pascal} extends Query<${n.pascal}View> {
  constructor(
    context: ExecutionContext,
    readonly id: string,
  ) {
    super(context);
  }
}

/**
 * Answers from the read model, never from the aggregate. It answers one ${n.words}'s view as it
 * stands; what ${u.pascal} asks is then written here (and, if the read model cannot answer it
 * yet, added to ${n.pascal}ReadModel and its adapters).
 */
export class ${u.pascal}Handler implements Handler<${u.pascal}> {
  readonly requires = requiresPermission(${n.constant}_READ);

  constructor(private readonly ${n.plural.camel}: ${n.pascal}ReadModel) {}

  async handle({ id }: ${u.pascal}): Promise<${n.pascal}View> {
    const view = await this.${n.plural.camel}.get(${n.camel}Id(id));
    if (view === undefined) throw new NotFound("${n.words}", id);
    return view;
  }
}
`,
    },
    {
      path: `test/application/${n.kebab}/${u.kebab}.test.ts`,
      content: `import * as assert from "uvu/assert";
import { ${u.pascal}, ${u.pascal}Handler } from "../../../src/application/${n.kebab}/${u.kebab}.js";
import { ${n.constant}_READ } from "../../../src/application/${n.kebab}/${n.kebab}-permissions.js";
import { Forbidden } from "../../../src/application/shared/authorization.js";
import { NotFound } from "../../../src/application/shared/not-found.js";
import { rejects } from "../../support/rejects.js";
import { test } from "../../support/uvu.js";
import { existing${n.pascal}, holding, ${n.camel}Harness } from "./${n.kebab}-harness.js";

const reader = holding(${n.constant}_READ);
const UNKNOWN = "7d1f0000-0000-4000-8000-000000000000";

function harness() {
  const h = ${n.camel}Harness();
${fit(
  `  h.queries.register(${u.pascal}, new ${u.pascal}Handler(h.readModel));`,
  `  h.queries.register(\n    ${u.pascal},\n    new ${u.pascal}Handler(h.readModel),\n  );`,
)}
  return h;
}

test("given ${n.aWords}, when ${u.pascal}, then it answers its view", async () => {
  const h = harness();
  const id = await existing${n.pascal}(h, "Asked about");
  const view = await h.queries.dispatch(new ${u.pascal}(reader, id));
  assert.equal([view.id, view.name, view.version], [id, "Asked about", 1]);
});

test("when ${u.pascal} names an unknown ${n.words}, then NotFound", async () => {
  const { queries } = harness();
  const unknown = () => queries.dispatch(new ${u.pascal}(reader, UNKNOWN));
  await rejects(unknown, NotFound);
});

test("when someone without ${n.kebab}:read sends ${u.pascal}, then Forbidden", async () => {
  const h = harness();
  const id = await existing${n.pascal}(h);
  const unpermitted = () => h.queries.dispatch(new ${u.pascal}(holding(), id));
  await rejects(unpermitted, Forbidden);
});

test.run();
`,
    },
  ];
}

/** The binding the context module gets, laid out as the formatter lays out a call whose last argument is a list. */
export function bindingLine(kind: "command" | "query", n: ContextNames, u: NameForms): string {
  const port = kind === "command" ? `${n.pascal}Repository` : `${n.pascal}ReadModel`;
  return hugged(
    `    bind${kind === "command" ? "Command" : "Query"}(container, ${u.pascal}, ${u.pascal}Handler, `,
    [port],
  );
}
