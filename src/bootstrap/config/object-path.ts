type PlainObject = Record<string, unknown>;

const isPlainObject = (u: unknown): u is PlainObject =>
  typeof u === "object" && u !== null && !Array.isArray(u);

export function getPath(root: unknown, path: readonly string[]): unknown {
  let node = root;
  for (const property of path) node = isPlainObject(node) ? node[property] : undefined;
  return node;
}

/** Sets `value` at `path` in place, creating the objects on the way. */
export function setPath(root: unknown, path: readonly string[], value: unknown): void {
  const [property, ...rest] = path;
  if (!isPlainObject(root) || property === undefined) throw new Error(`cannot set ${path.join(".")}`);
  if (rest.length === 0) {
    root[property] = value;
    return;
  }
  if (!isPlainObject(root[property])) root[property] = {};
  setPath(root[property], rest, value);
}
