import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseEnv } from "node:util";

/** The variables of `dir/name`; a missing file is an empty layer, any other read error is thrown. */
export function readEnvFile(dir: string, name: string): Readonly<Record<string, string | undefined>> {
  try {
    return parseEnv(readFileSync(join(dir, name), "utf8"));
  } catch (error) {
    if (error instanceof Error && "code" in error && error.code === "ENOENT") return {};
    throw error;
  }
}
