/** A file `keel new` writes, by its path from the repository's root. */
export interface GeneratedFile {
  readonly path: string;
  readonly content: string;
}

/** Keel's formatter's line width (biome.json). */
export const LINE_WIDTH = 110;

export function cap(text: string): string {
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}`;
}

/**
 * One of two layouts of the same code, as the formatter would choose: `short` when each of its lines
 * fits the line width, else `long`. A template uses it where the context's name decides whether a
 * call or a signature fits on one line.
 */
export function fit(short: string, long: string): string {
  return short.split("\n").every((line) => line.length <= LINE_WIDTH) ? short : long;
}

/**
 * A call whose last argument is a list (`bindCommand(container, A, AHandler, [B, C]);`), laid out as the
 * formatter does: on one line if it fits, else with the list one item a line.
 */
export function hugged(head: string, items: readonly string[]): string {
  const indent = /^ */.exec(head)?.[0] ?? "";
  return fit(
    `${head}[${items.join(", ")}]);`,
    `${head}[\n${items.map((item) => `${indent}  ${item},\n`).join("")}${indent}]);`,
  );
}
