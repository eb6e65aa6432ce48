import type { ContextNames } from "../names.js";
import type { GeneratedFile } from "./template.js";

export function httpFiles(n: ContextNames): GeneratedFile[] {
  return [
    {
      path: `src/adapters/${n.kebab}/http/v1-${n.plural.kebab}.ts`,
      content: `import * as t from "io-ts";
import { Create${n.pascal} } from "../../../application/${n.kebab}/create-${n.kebab}.js";
import { Get${n.pascal} } from "../../../application/${n.kebab}/get-${n.kebab}.js";
import {
  DEFAULT_PAGE_SIZE,
  List${n.plural.pascal},
  MAX_PAGE_SIZE,
} from "../../../application/${n.kebab}/list-${n.plural.kebab}.js";
import { NAME_MAX_LENGTH } from "../../../domain/shared/name.js";
import type { ${n.pascal}View } from "../../../ports/${n.kebab}/${n.kebab}-read-model.js";
import {
  integerFromString,
  isoDateTime,
  object,
  oneOf,
  optional,
  strictObject,
  strictQuery,
  text,
  uuid,
} from "../../http/codecs.js";
import { pageCodec, presentPage } from "../../http/paging.js";
import { type RouteDefinition, route } from "../../http/route.js";
import { Written } from "../../http/written.js";

/** v1 of the ${n.words} routes: what a client sends and gets, as io-ts codecs, and what each dispatches. */

export const ${n.pascal}V1 = object(
  {
    id: t.string,
    name: t.string,
    version: t.number,
    created_at: isoDateTime,
    updated_at: isoDateTime,
  },
  "${n.pascal}V1",
);

const ${n.pascal}Page = pageCodec(${n.pascal}V1, "${n.pascal}PageV1");
const Params = t.type({ id: uuid });
const CreateBody = strictObject({ name: text(1, NAME_MAX_LENGTH) });
const ListQuery = strictQuery({
  page: optional(integerFromString(1, 1_000_000)),
  page_size: optional(integerFromString(1, MAX_PAGE_SIZE)),
  sort: optional(oneOf(["name", "created_at"])),
  order: optional(oneOf(["asc", "desc"])),
});

const SORT_FIELDS = { name: "name", created_at: "createdAt" } as const;
const tags = ["${n.plural.words}"];

function present(view: ${n.pascal}View): t.TypeOf<typeof ${n.pascal}V1> {
  return {
    id: view.id,
    name: view.name,
    version: view.version,
    created_at: view.createdAt,
    updated_at: view.updatedAt,
  };
}

export const v1${n.pascal}Routes: RouteDefinition[] = [
  route({
    method: "GET",
    path: "/${n.plural.kebab}",
    summary: "List ${n.plural.words}, sorted and paged",
    tags,
    dispatches: List${n.plural.pascal},
    query: ListQuery,
    fields: { page: "query.page", pageSize: "query.page_size" },
    response: ${n.pascal}Page,
    message: "${n.plural.words} listed",
    handle: async ({ query }, { queries, context }) => {
      const criteria = {
        sort: { field: SORT_FIELDS[query.sort ?? "created_at"], direction: query.order ?? "asc" },
        page: query.page ?? 1,
        pageSize: query.page_size ?? DEFAULT_PAGE_SIZE,
      };
      const page = await queries.dispatch(new List${n.plural.pascal}(context, criteria));
      return presentPage(page, criteria, present);
    },
  }),
  route({
    method: "GET",
    path: "/${n.plural.kebab}/:id",
    summary: "Get one ${n.words}",
    tags,
    dispatches: Get${n.pascal},
    params: Params,
    response: ${n.pascal}V1,
    etag: (presented) => presented,
    message: "${n.words} found",
    handle: async ({ params }, { queries, context }) =>
      present(await queries.dispatch(new Get${n.pascal}(context, params.id))),
  }),
  route({
    method: "POST",
    path: "/${n.plural.kebab}",
    summary: "Create ${n.aWords}",
    tags,
    dispatches: Create${n.pascal},
    body: CreateBody,
    fields: { name: "body.name" },
    response: Written,
    status: 201,
    location: (created) => \`/${n.plural.kebab}/\${created.id}\`,
    etag: (created) => created,
    message: "${n.words} created",
    handle: ({ body }, { commands, context }) =>
      commands.dispatch(new Create${n.pascal}(context, { name: body.name })),
  }),
];
`,
    },
  ];
}
