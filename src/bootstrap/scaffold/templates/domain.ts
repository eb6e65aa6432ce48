import type { ContextNames } from "../names.js";
import { cap, fit, type GeneratedFile } from "./template.js";

export function domainFiles(n: ContextNames): GeneratedFile[] {
  return [
    {
      path: `src/domain/${n.kebab}/${n.kebab}-id.ts`,
      content: `import { entityId } from "../shared/entity-id.js";

export type ${n.pascal}Id = ReturnType<typeof ${n.camel}Id>;

export function ${n.camel}Id(value: string) {
  return entityId<"${n.pascal}Id">("${n.camel}Id", value);
}
`,
    },
    {
      path: `src/domain/${n.kebab}/${n.kebab}-state.ts`,
      content: `import type { DomainEvent } from "../shared/domain-event.js";

/** The facts ${n.aWords} records; past tense, namespaced by the context. */
export type ${n.pascal}Created = DomainEvent<"${n.kebab}.created", { name: string }>;

export type ${n.pascal}Event = ${n.pascal}Created;

export interface ${n.pascal}State {
  readonly id: string;
  readonly name: string;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/**
 * How each event changes ${n.aWords}: pure, so replaying the log rebuilds the same state. There is
 * one event so far, the first; one that changes an existing ${n.words} would start from \`state\`.
 */
${fit(
  `export function evolve${n.pascal}(state: ${n.pascal}State | undefined, event: ${n.pascal}Event): ${n.pascal}State {`,
  `export function evolve${n.pascal}(
  state: ${n.pascal}State | undefined,
  event: ${n.pascal}Event,
): ${n.pascal}State {`,
)}
  if (state !== undefined) throw new Error(\`\${event.type} after ${n.kebab}.created\`);
  return {
    id: event.aggregateId,
    name: event.data.name,
    createdAt: event.occurredAt,
    updatedAt: event.occurredAt,
  };
}
`,
    },
    {
      path: `src/domain/${n.kebab}/${n.kebab}-errors.ts`,
      content: `import { DomainError } from "../shared/domain-error.js";

/** Names are unique among ${n.plural.words}: a second one with a name in use clashes with the first. */
export class ${n.pascal}NameTaken extends DomainError {
  readonly code = "${n.constant}_NAME_TAKEN";
  override readonly kind = "conflict";

  constructor(readonly takenName: string) {
    super(\`${n.aWords} named \${takenName} already exists\`);
  }
}
`,
    },
    {
      path: `src/domain/${n.kebab}/${n.kebab}.ts`,
      content: `import { AggregateRoot } from "../shared/aggregate-root.js";
import { name } from "../shared/name.js";
import { type ${n.pascal}Id, ${n.camel}Id } from "./${n.kebab}-id.js";
import {
  evolve${n.pascal},
  type ${n.pascal}Event,
  type ${n.pascal}State,
} from "./${n.kebab}-state.js";

export interface New${n.pascal} {
  readonly id: string;
  readonly name: string;
}

/**
 * ${cap(n.aWords)}. Its rules: a name is a display name (trimmed, 1 to 200 characters), and no two
 * ${n.plural.words} share one. Uniqueness spans ${n.plural.words}, so the application checks it and the
 * store's unique key holds it under concurrency (${n.pascal}NameTaken either way).
 */
export class ${n.pascal} extends AggregateRoot<${n.pascal}State, ${n.pascal}Event> {
  private constructor(state: ${n.pascal}State | undefined, version: number) {
    super(evolve${n.pascal}, state, version);
  }

  static create(input: New${n.pascal}, now: Date): ${n.pascal} {
    const made = new ${n.pascal}(undefined, 0);
    made.record({
      type: "${n.kebab}.created",
      aggregateId: ${n.camel}Id(input.id),
      occurredAt: now.toISOString(),
      data: { name: name("name", input.name) },
    });
    return made;
  }

  static fromHistory(history: readonly ${n.pascal}Event[]): ${n.pascal} {
    const { state, version } = AggregateRoot.fold(evolve${n.pascal}, history);
    return new ${n.pascal}(state, version);
  }

  /** Loads from a stored state row; must equal \`fromHistory\` of the same events (tested). */
  static fromSnapshot(state: ${n.pascal}State, version: number): ${n.pascal} {
    return new ${n.pascal}(state, version);
  }

  get id(): ${n.pascal}Id {
    return this.state.id as ${n.pascal}Id;
  }

  snapshot(): ${n.pascal}State {
    return this.state;
  }
}
`,
    },
  ];
}
