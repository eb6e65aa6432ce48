import { UsageError } from "./command-errors.js";
import type { ConfigStore } from "./config/index.js";
import { buildContainer, type Composition } from "./container.js";
import { Tokens } from "./tokens.js";

export const OPENAPI_USAGE = "keel openapi --version <v1|v2>   print the API version's OpenAPI document";

/**
 * Prints one version's OpenAPI document, the same one `GET /openapi/<version>.json` serves, without
 * starting anything: no database or broker is touched, so it runs in a build step.
 */
export async function openApiCommand(
  store: ConfigStore,
  args: readonly string[],
  print: (line: string) => void,
  composition: Composition = {},
): Promise<void> {
  const [flag, version] = args;
  if (flag !== "--version" || version === undefined) throw new UsageError(`usage: ${OPENAPI_USAGE}`);
  const documents = buildContainer(store, composition).get<Readonly<Record<string, unknown>>>(
    Tokens.OpenApiDocuments,
  );
  const document = documents[version];
  if (document === undefined)
    throw new UsageError(`no API version ${version}; there are ${Object.keys(documents).join(", ")}`);
  print(JSON.stringify(document, null, 2));
}
