/** One sample of a Prometheus text exposition: its metric name, labels and value. */
export interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

/** Every sample of the exposition (comment lines and blank lines left out). */
export function samplesOf(exposition: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of exposition.split("\n")) {
    const parsed = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (parsed === null) continue;
    const [, name = "", labelText = "", value = ""] = parsed;
    const labels: Record<string, string> = {};
    for (const [, key = "", raw = ""] of labelText.matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g))
      labels[key] = raw.replace(/\\(.)/g, (_, c: string) => (c === "n" ? "\n" : c));
    samples.push({ name, labels, value: Number(value) });
  }
  return samples;
}

/**
 * The value of `name` summed over its samples that carry `labels` (others may differ), or undefined
 * when there is no such sample at all: a counter never touched is absent, not 0.
 */
export function sampled(
  exposition: string,
  name: string,
  labels: Readonly<Record<string, string>> = {},
): number | undefined {
  const matching = samplesOf(exposition).filter(
    (sample) =>
      sample.name === name && Object.entries(labels).every(([key, value]) => sample.labels[key] === value),
  );
  return matching.length === 0 ? undefined : matching.reduce((sum, sample) => sum + sample.value, 0);
}
