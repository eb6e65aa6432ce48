/**
 * `make fuzz` (npm run fuzz): the long run of the spec-driven fuzz; test/contract/openapi-fuzz.test.ts
 * is its bounded sibling. About FUZZ_RUNS requests in all (default 100,000), spread evenly over every
 * operation of both versions and the three principals. FUZZ_SEED replays a run (default: the fixed
 * seed below, printed either way), FUZZ_ONLY narrows it to operations whose id or path contains the
 * text, FUZZ_CONCURRENCY is how many operations are driven at once, FUZZ_DRIVER=pglite runs keel on
 * PGlite rather than in memory. Exits 1 on any 5xx, answer the document does not describe, or valid
 * request refused as malformed, listing the requests that produced them.
 */
import { failureLines, fuzzApi, summary } from "../support/api-fuzz-run.js";

const DEFAULT_SEED = 20_260_512;

const started = performance.now();
const driver = process.env.FUZZ_DRIVER;
const only = process.env.FUZZ_ONLY || undefined;
const report = await fuzzApi({
  seed: Number(process.env.FUZZ_SEED ?? DEFAULT_SEED),
  requests: Number(process.env.FUZZ_RUNS ?? 100_000),
  concurrency: Number(process.env.FUZZ_CONCURRENCY ?? 8),
  ...(only === undefined ? {} : { only }),
  ...(driver === undefined ? {} : { env: { PERSISTENCE__DRIVER: driver, PGLITE__DATA_DIR: "memory://" } }),
  log: (line) => console.log(line),
});
for (const line of summary(report)) console.log(line);
console.log(
  `wall time, start-up and set-up included: ${((performance.now() - started) / 1000).toFixed(1)} s`,
);
const failures = [...report.offSpec, ...report.validRefused];
for (const line of failureLines(failures, 50)) console.log(line);
process.exit(failures.length === 0 && report.serverErrors === 0 ? 0 : 1);
