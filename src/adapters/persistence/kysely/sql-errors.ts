/** PostgreSQL reports which constraint a statement broke; pg and PGlite both expose it. */
export function violatedUniqueConstraint(error: unknown): string | undefined {
  const candidate = error as { code?: unknown; constraint?: unknown } | null;
  if (candidate?.code !== "23505") return undefined;
  return typeof candidate.constraint === "string" ? candidate.constraint : "";
}
