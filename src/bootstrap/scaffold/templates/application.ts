import type { ContextNames } from "../names.js";
import type { GeneratedFile } from "./template.js";

export function applicationFiles(n: ContextNames): GeneratedFile[] {
  return [
    {
      path: `src/application/${n.kebab}/${n.kebab}-permissions.ts`,
      content: `/**
 * What the ${n.words} context's handlers require; ${n.kebab}-context.ts says who gets each by
 * default. Reads need a permission too, not only writes: a new context's records are private until
 * someone decides otherwise. Make Get${n.pascal} and List${n.plural.pascal} \`PUBLIC\` (as the product
 * catalogue is) or \`AUTHENTICATED\` instead, and drop ${n.constant}_READ, if everyone may see them.
 */
export const ${n.constant}_WRITE = "${n.kebab}:write";
export const ${n.constant}_READ = "${n.kebab}:read";
`,
    },
    {
      path: `src/application/${n.kebab}/create-${n.kebab}.ts`,
      content: `import { ${n.pascal} } from "../../domain/${n.kebab}/${n.kebab}.js";
import { ${n.pascal}NameTaken } from "../../domain/${n.kebab}/${n.kebab}-errors.js";
import { name } from "../../domain/shared/name.js";
import type { Clock } from "../../ports/clock.js";
import type { IdGenerator } from "../../ports/id-generator.js";
import type { ${n.pascal}Repository } from "../../ports/${n.kebab}/${n.kebab}-repository.js";
import type { ExecutionContext } from "../shared/execution-context.js";
import { Command, type Handler } from "../shared/message.js";
import { requiresPermission } from "../shared/requirement.js";
import type { Written } from "../shared/written.js";
import { ${n.constant}_WRITE } from "./${n.kebab}-permissions.js";

export class Create${n.pascal} extends Command<Written> {
  constructor(
    context: ExecutionContext,
    readonly input: { readonly name: string },
  ) {
    super(context);
  }
}

export class Create${n.pascal}Handler implements Handler<Create${n.pascal}> {
  readonly requires = requiresPermission(${n.constant}_WRITE);

  constructor(
    private readonly ${n.plural.camel}: ${n.pascal}Repository,
    private readonly ids: IdGenerator,
    private readonly clock: Clock,
  ) {}

  async handle({ input }: Create${n.pascal}): Promise<Written> {
    const normalised = name("name", input.name);
    // The store's unique key is the final word under concurrency; this check gives the same typed
    // error without burning an id in the common case.
    if ((await this.${n.plural.camel}.idOfName(normalised)) !== undefined) {
      throw new ${n.pascal}NameTaken(normalised);
    }
    const made = ${n.pascal}.create({ id: this.ids.next(), name: normalised }, this.clock.now());
    await this.${n.plural.camel}.save(made);
    return { id: made.id, version: made.version };
  }
}
`,
    },
    {
      path: `src/application/${n.kebab}/get-${n.kebab}.ts`,
      content: `import { ${n.camel}Id } from "../../domain/${n.kebab}/${n.kebab}-id.js";
import type {
  ${n.pascal}ReadModel,
  ${n.pascal}View,
} from "../../ports/${n.kebab}/${n.kebab}-read-model.js";
import type { ExecutionContext } from "../shared/execution-context.js";
import { type Handler, Query } from "../shared/message.js";
import { NotFound } from "../shared/not-found.js";
import { requiresPermission } from "../shared/requirement.js";
import { ${n.constant}_READ } from "./${n.kebab}-permissions.js";

export class Get${n.pascal} extends Query<${n.pascal}View> {
  constructor(
    context: ExecutionContext,
    readonly id: string,
  ) {
    super(context);
  }
}

export class Get${n.pascal}Handler implements Handler<Get${n.pascal}> {
  readonly requires = requiresPermission(${n.constant}_READ);

  constructor(private readonly ${n.plural.camel}: ${n.pascal}ReadModel) {}

  async handle({ id }: Get${n.pascal}): Promise<${n.pascal}View> {
    const view = await this.${n.plural.camel}.get(${n.camel}Id(id));
    if (view === undefined) throw new NotFound("${n.words}", id);
    return view;
  }
}
`,
    },
    {
      path: `src/application/${n.kebab}/list-${n.plural.kebab}.ts`,
      content: `import { InvalidValue } from "../../domain/shared/domain-error.js";
import type { Page } from "../../ports/page.js";
import type {
  ${n.pascal}Criteria,
  ${n.pascal}ReadModel,
  ${n.pascal}View,
} from "../../ports/${n.kebab}/${n.kebab}-read-model.js";
import type { ExecutionContext } from "../shared/execution-context.js";
import { type Handler, Query } from "../shared/message.js";
import { requiresPermission } from "../shared/requirement.js";
import { ${n.constant}_READ } from "./${n.kebab}-permissions.js";

/** Pages are bounded so that no request can ask the store for everything at once. */
export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 20;

export class List${n.plural.pascal} extends Query<Page<${n.pascal}View>> {
  constructor(
    context: ExecutionContext,
    readonly criteria: ${n.pascal}Criteria,
  ) {
    super(context);
  }
}

export class List${n.plural.pascal}Handler implements Handler<List${n.plural.pascal}> {
  readonly requires = requiresPermission(${n.constant}_READ);

  constructor(private readonly ${n.plural.camel}: ${n.pascal}ReadModel) {}

  async handle({ criteria }: List${n.plural.pascal}): Promise<Page<${n.pascal}View>> {
    if (!Number.isSafeInteger(criteria.page) || criteria.page < 1) {
      throw new InvalidValue("page", "page must be a whole number of at least 1");
    }
    if (
      !Number.isSafeInteger(criteria.pageSize) ||
      criteria.pageSize < 1 ||
      criteria.pageSize > MAX_PAGE_SIZE
    ) {
      throw new InvalidValue("pageSize", \`page size must be between 1 and \${MAX_PAGE_SIZE}\`);
    }
    return this.${n.plural.camel}.list(criteria);
  }
}
`,
    },
  ];
}
