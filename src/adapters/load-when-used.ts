import { createRequire } from "node:module";

const require = createRequire(import.meta.url);

/**
 * A package keel loads the first time it is used, not when it starts: every process imports every
 * adapter, but most use a few (`serve` on the in-memory adapters never touches Redis, SMTP or an
 * OpenTelemetry exporter), and loading those packages cost start-up time and resident memory
 * (measured by `BENCH_SCENARIOS=startup make bench`). Through `require`, so it stays synchronous where
 * the adapters are built: each package named here has a CommonJS entry point. Types come from
 * `typeof import(...)`, which loads nothing.
 */
export function loadWhenUsed<T>(id: string): () => T {
  let loaded: T | undefined;
  return () => {
    loaded ??= require(id) as T;
    return loaded;
  };
}
