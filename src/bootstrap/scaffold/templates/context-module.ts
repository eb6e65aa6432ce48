import type { ContextNames } from "../names.js";
import { type GeneratedFile, hugged } from "./template.js";

export function contextModuleFiles(n: ContextNames, migration: string): GeneratedFile[] {
  return [
    {
      path: `src/bootstrap/${n.kebab}/${n.kebab}-context.ts`,
      content: `import { v1${n.pascal}Routes } from "../../adapters/${n.kebab}/http/v1-${n.plural.kebab}.js";
import { Memory${n.pascal}ReadModel } from "../../adapters/${n.kebab}/memory/memory-${n.kebab}-read-model.js";
import { Memory${n.pascal}Repository } from "../../adapters/${n.kebab}/memory/memory-${n.kebab}-repository.js";
import * as ${n.plural.camel} from "../../adapters/${n.kebab}/migrations/${migration}-${n.plural.kebab}.js";
import { Kysely${n.pascal}ReadModel } from "../../adapters/${n.kebab}/sql/kysely-${n.kebab}-read-model.js";
import { Kysely${n.pascal}Repository } from "../../adapters/${n.kebab}/sql/kysely-${n.kebab}-repository.js";
import {
  Create${n.pascal},
  Create${n.pascal}Handler,
} from "../../application/${n.kebab}/create-${n.kebab}.js";
import {
  Get${n.pascal},
  Get${n.pascal}Handler,
} from "../../application/${n.kebab}/get-${n.kebab}.js";
import {
  List${n.plural.pascal},
  List${n.plural.pascal}Handler,
} from "../../application/${n.kebab}/list-${n.plural.kebab}.js";
import {
  ${n.constant}_READ,
  ${n.constant}_WRITE,
} from "../../application/${n.kebab}/${n.kebab}-permissions.js";
import { Clock } from "../../ports/clock.js";
import { IdGenerator } from "../../ports/id-generator.js";
import { ${n.pascal}ReadModel } from "../../ports/${n.kebab}/${n.kebab}-read-model.js";
import { ${n.pascal}Repository } from "../../ports/${n.kebab}/${n.kebab}-repository.js";
import { defineContext } from "../context/context-module.js";
import { bindAdapter, bindCommand, bindQuery } from "../modules/handler-registration.js";
import { Tokens } from "../tokens.js";

/** The ${n.words} context: ${n.plural.words}, created with a name no other has, read and listed (API v1). */
export default defineContext({
  name: "${n.kebab}",
  // No settings yet. Keys of its own (${n.plural.constant}__...) would be \`settings: contextSettings("${n.plural.kebab}",
  // { ... })\` here, read in \`bind\` with \`.of(config)\`; then regenerate the README's table.
  permissions: {
    [${n.constant}_WRITE]: {
      description: "Create ${n.plural.words}.",
      grantedTo: ["admin"],
    },
    [${n.constant}_READ]: {
      description: "Read and list ${n.plural.words}.",
      grantedTo: ["admin"],
    },
  },
  migrations: { "${migration}-${n.plural.kebab}": ${n.plural.camel} },
  adapters: {
    memory: ({ container }) => {
${hugged(`      bindAdapter(container, ${n.pascal}Repository, Memory${n.pascal}Repository, `, ["Tokens.MemoryDatabase"])}
${hugged(`      bindAdapter(container, ${n.pascal}ReadModel, Memory${n.pascal}ReadModel, `, ["Tokens.MemoryDatabase"])}
    },
    sql: ({ container }) => {
${hugged(`      bindAdapter(container, ${n.pascal}Repository, Kysely${n.pascal}Repository, `, ["Tokens.TransactionScope", "IdGenerator"])}
${hugged(`      bindAdapter(container, ${n.pascal}ReadModel, Kysely${n.pascal}ReadModel, `, ["Tokens.ReadDatabase"])}
    },
  },
  bind: ({ container }) => {
${hugged(`    bindCommand(container, Create${n.pascal}, Create${n.pascal}Handler, `, [`${n.pascal}Repository`, "IdGenerator", "Clock"])}
${hugged(`    bindQuery(container, Get${n.pascal}, Get${n.pascal}Handler, `, [`${n.pascal}ReadModel`])}
${hugged(`    bindQuery(container, List${n.plural.pascal}, List${n.plural.pascal}Handler, `, [`${n.pascal}ReadModel`])}
  },
  routes: { v1: v1${n.pascal}Routes },
});
`,
    },
  ];
}
