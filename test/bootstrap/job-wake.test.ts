/**
 * On PostgreSQL a new job wakes the worker's job runner through LISTEN/NOTIFY, so a job enqueued by
 * another process (serve, say) starts at once rather than at the next poll. The poll here is a minute
 * long: a job that ran within seconds was woken.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as assert from "uvu/assert";
import { appConfig, loadConfig } from "../../src/bootstrap/app-config.js";
import { ConfigStore } from "../../src/bootstrap/config/index.js";
import { buildContainer } from "../../src/bootstrap/container.js";
import { type Component, Lifecycle } from "../../src/bootstrap/lifecycle.js";
import { Tokens } from "../../src/bootstrap/tokens.js";
import { Jobs } from "../../src/ports/jobs.js";
import { Logger } from "../../src/ports/logger.js";
import { UnitOfWork } from "../../src/ports/unit-of-work.js";
import { report } from "../adapters/jobs/job-types.js";
import { CapturedLog } from "../support/captured-log.js";
import { eventually } from "../support/eventually.js";
import { createTestSchema, postgresDecision } from "../support/postgres.js";
import { serviceTest } from "../support/services.js";
import { test } from "../support/uvu.js";

const CONFIG_DIR = mkdtempSync(join(tmpdir(), "keel-job-wake-"));

function started(url: string, role: "worker" | "serve", ran?: string[]) {
  const env = {
    APP_ENV: "test",
    PERSISTENCE__DRIVER: "postgres",
    DATABASE__URL: url,
    DATABASE__MIGRATE_ON_START: "true",
    JOBS__POLL_MS: "60000",
    LOG__LEVEL: "warn",
  };
  const read = () => loadConfig({ env, dir: CONFIG_DIR });
  const loaded = read();
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.issues));
  const container = buildContainer(
    new ConfigStore({ definition: appConfig, config: loaded.config, reread: read }),
    {
      role,
      logDestination: new CapturedLog(),
      overrides: (c) => {
        if (ran !== undefined)
          c.bind(Tokens.JobHandlers).toConstantValue({
            job: report,
            handle: async ({ day }: { day: string }) => void ran.push(day),
          });
      },
    },
  );
  return container;
}

const decided = await postgresDecision();

serviceTest(
  decided,
  "given a worker polling once a minute, when another process enqueues a job, then the worker runs it within seconds",
  async () => {
    const schema = await createTestSchema();
    const ran: string[] = [];
    const worker = started(schema.url, "worker", ran);
    const serving = started(schema.url, "serve");
    const lifecycles = [worker, serving].map((c) => new Lifecycle(c.get<Logger>(Logger)));
    try {
      await lifecycles[0]?.start(worker.getAll<Component>(Tokens.Components, { optional: true }));
      await lifecycles[1]?.start(serving.getAll<Component>(Tokens.Components, { optional: true }));
      const jobs = worker.getAll<Component>(Tokens.WorkerComponents).find((c) => c.name === "jobs");
      if (jobs === undefined) throw new Error("the worker has no jobs component");
      await jobs.start();
      try {
        // Let the runner finish its first round and settle into its minute-long wait.
        await new Promise((resolve) => setTimeout(resolve, 500));
        await serving
          .get<UnitOfWork>(UnitOfWork)
          .run({ correlationId: "job-wake", principal: "system:test" }, () =>
            serving.get<Jobs>(Jobs).enqueue(report, { day: "2026-11-30" }),
          );

        await eventually(
          "the worker to run the job",
          () => ran,
          (days) => days.length === 1,
          10_000,
        );
        assert.equal(ran, ["2026-11-30"]);
      } finally {
        await jobs.stop();
      }
    } finally {
      await lifecycles[1]?.stop();
      await lifecycles[0]?.stop();
      await schema.drop();
    }
  },
);

test.run();
