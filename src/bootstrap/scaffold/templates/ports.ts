import type { ContextNames } from "../names.js";
import { fit, type GeneratedFile } from "./template.js";

export function portFiles(n: ContextNames): GeneratedFile[] {
  return [
    {
      path: `src/ports/${n.kebab}/${n.kebab}-repository.ts`,
      content: `import type { ${n.pascal} } from "../../domain/${n.kebab}/${n.kebab}.js";
import type { ${n.pascal}Id } from "../../domain/${n.kebab}/${n.kebab}-id.js";
import { token } from "../token.js";

/** Write side: loads and saves the ${n.pascal} aggregate; saving appends its pending events to the log. */
export interface ${n.pascal}Repository {
  get(id: ${n.pascal}Id): Promise<${n.pascal} | undefined>;
  /** Id of the ${n.words} holding this name, if any; names are unique across ${n.plural.words}. */
  idOfName(name: string): Promise<string | undefined>;
  /**
   * Stores its state and appends its pending events. Throws ConcurrencyConflict when the stored one
   * moved past \`persistedVersion\`, ${n.pascal}NameTaken when another holds its name.
   */
  save(${n.camel}: ${n.pascal}): Promise<void>;
}
${fit(
  `export const ${n.pascal}Repository = token<${n.pascal}Repository>("${n.pascal}Repository");`,
  `export const ${n.pascal}Repository = token<${n.pascal}Repository>(\n  "${n.pascal}Repository",\n);`,
)}
`,
    },
    {
      path: `src/ports/${n.kebab}/${n.kebab}-read-model.ts`,
      content: `import type { Page } from "../page.js";
import { token } from "../token.js";

export interface ${n.pascal}View {
  readonly id: string;
  readonly name: string;
  readonly version: number;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export type ${n.pascal}SortField = "name" | "createdAt";

export interface ${n.pascal}Criteria {
  readonly sort: { readonly field: ${n.pascal}SortField; readonly direction: "asc" | "desc" };
  /** 1-based. */
  readonly page: number;
  readonly pageSize: number;
}

/** Query side for ${n.plural.words}. Ties in the sort are broken by id, so pages are stable. */
export interface ${n.pascal}ReadModel {
  get(id: string): Promise<${n.pascal}View | undefined>;
  list(criteria: ${n.pascal}Criteria): Promise<Page<${n.pascal}View>>;
}
${fit(
  `export const ${n.pascal}ReadModel = token<${n.pascal}ReadModel>("${n.pascal}ReadModel");`,
  `export const ${n.pascal}ReadModel = token<${n.pascal}ReadModel>(\n  "${n.pascal}ReadModel",\n);`,
)}
`,
    },
  ];
}
