/** One span of an OTLP/JSON trace export, with the attributes of the resource that sent it. */
export interface ExportedSpan {
  readonly resource: Readonly<Record<string, unknown>>;
  readonly span: Readonly<Record<string, unknown>>;
}

/**
 * The spans of an OTLP/JSON trace export body (resourceSpans[].scopeSpans[].spans[]), or undefined
 * when the value is not one. Read by the test collector (otlp-collector.ts) and the bench's sink.
 */
export function exportedSpans(body: unknown): ExportedSpan[] | undefined {
  const resourceSpans = field(body, "resourceSpans");
  if (!Array.isArray(resourceSpans)) return undefined;
  const found: ExportedSpan[] = [];
  for (const resourceSpan of resourceSpans) {
    const resource = attributesOf(field(field(resourceSpan, "resource"), "attributes"));
    const scopeSpans = field(resourceSpan, "scopeSpans");
    if (!Array.isArray(scopeSpans)) return undefined;
    for (const scope of scopeSpans) {
      const spans = field(scope, "spans");
      if (!Array.isArray(spans)) return undefined;
      for (const span of spans) found.push({ resource, span: (span ?? {}) as Record<string, unknown> });
    }
  }
  return found;
}

/** OTLP's `[{ key, value: { stringValue | intValue | boolValue | doubleValue } }]` as a plain record. */
export function attributesOf(list: unknown): Record<string, string | number | boolean> {
  const attributes: Record<string, string | number | boolean> = {};
  if (!Array.isArray(list)) return attributes;
  for (const entry of list) {
    const key = field(entry, "key");
    const value = field(entry, "value") as
      | { stringValue?: string; intValue?: string | number; boolValue?: boolean; doubleValue?: number }
      | undefined;
    if (typeof key !== "string" || value === undefined) continue;
    attributes[key] =
      value.stringValue ??
      (value.intValue === undefined ? undefined : Number(value.intValue)) ??
      value.boolValue ??
      value.doubleValue ??
      "";
  }
  return attributes;
}

function field(value: unknown, key: string): unknown {
  return typeof value === "object" && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}
