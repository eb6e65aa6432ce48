import * as assert from "uvu/assert";
import { type FuzzReport, failureLines, fuzzApi, summary } from "../support/api-fuzz-run.js";
import { test } from "../support/uvu.js";

/**
 * The spec-driven fuzz, bounded to fit the suite: requests generated from both OpenAPI documents,
 * valid and broken on purpose, for every operation (the OAuth2 endpoints included) as anonymous, a
 * plain user and the admin, each answer held to the document. `make fuzz` is the long run of the
 * same (test/fuzz/run.ts). FUZZ_SEED replays another seed; the seed is printed either way.
 */
const SEED = Number(process.env.FUZZ_SEED ?? 20_260_512);

function assertClean(report: FuzzReport): void {
  for (const line of summary(report)) console.log(`  ${line}`);
  assert.is(report.serverErrors, 0, "5xx answers");
  assert.ok(
    report.offSpec.length === 0,
    ["answers the document does not describe:", ...failureLines(report.offSpec)].join("\n"),
  );
  assert.ok(
    report.validRefused.length === 0,
    ["requests the document accepts, refused as malformed:", ...failureLines(report.validRefused)].join("\n"),
  );
}

test("given requests generated from both documents for every operation and principal, then every answer is one the document declares, with its body", async () => {
  const report = await fuzzApi({ seed: SEED, requests: 12_000, concurrency: 4 });
  assertClean(report);
  assert.ok(report.requests >= 12_000, `${report.requests} requests`);
  assert.is(report.operations, 60, "30 operations in each version");
  assert.ok(
    (report.byClass["2xx"] ?? 0) > 1000 && (report.byClass["4xx"] ?? 0) > 4000,
    "successes and refusals both",
  );
});

test("given tight rate limits, then the 429s are declared too, each in its endpoint's own format", async () => {
  const report = await fuzzApi({
    seed: SEED,
    requests: 1200,
    concurrency: 4,
    reload: {
      RATE_LIMIT__IP__POINTS: "300",
      RATE_LIMIT__PRINCIPAL__POINTS: "150",
      RATE_LIMIT__EXPENSIVE__POINTS: "3",
      RATE_LIMIT__LOGIN__USERNAME_POINTS: "3",
      RATE_LIMIT__LOGIN__IP_POINTS: "10",
    },
  });
  assertClean(report);
  assert.ok((report.byStatus["429"] ?? 0) > 50, `${report.byStatus["429"] ?? 0} answers were 429`);
});

test.run();
