import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Container } from "inversify";
import * as assert from "uvu/assert";
import { appConfig, loadConfig } from "../../src/bootstrap/app-config.js";
import { CommandFailed, UsageError } from "../../src/bootstrap/command-errors.js";
import { ConfigStore } from "../../src/bootstrap/config/index.js";
import { buildContainer } from "../../src/bootstrap/container.js";
import { jobsAction, jobsCommand } from "../../src/bootstrap/jobs-command.js";
import { type Component, Lifecycle } from "../../src/bootstrap/lifecycle.js";
import { Tokens } from "../../src/bootstrap/tokens.js";
import { JobQueue } from "../../src/ports/job-queue.js";
import { Jobs } from "../../src/ports/jobs.js";
import { Logger } from "../../src/ports/logger.js";
import { oneShot, reminder } from "../adapters/jobs/job-types.js";
import { cleanEnv, spawnTs } from "../support/child-process.js";
import { rejects } from "../support/rejects.js";
import { suite } from "../support/uvu.js";

const env = {
  APP_ENV: "test",
  PERSISTENCE__DRIVER: "pglite",
  PGLITE__DATA_DIR: "memory://",
  DATABASE__MIGRATE_ON_START: "true",
  LOG__LEVEL: "silent",
};
const CONFIG_DIR = mkdtempSync(join(tmpdir(), "keel-jobs-cli-"));

function store(extra: Record<string, string> = {}): ConfigStore {
  const read = () => loadConfig({ env: { ...env, ...extra }, dir: CONFIG_DIR });
  const loaded = read();
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.issues));
  return new ConfigStore({ definition: appConfig, config: loaded.config, reread: read });
}

/** The command's action on the suite's open database (opening PGlite for each would take seconds). */
async function keelJobs(...args: string[]): Promise<string[]> {
  const printed: string[] = [];
  await jobsAction(args)(opened.container.get<Jobs>(Jobs), (line) => printed.push(line));
  return printed;
}

/** The command's refusal: its kind (usage: exit 64; failed: exit 1) and its words. */
async function refused(
  action: () => Promise<unknown>,
  kind: typeof UsageError | typeof CommandFailed,
  words: RegExp,
): Promise<void> {
  assert.match((await rejects(action, kind)).message, words);
}

const jobs = suite<{ dead: string; queued: string }>("keel jobs", { dead: "", queued: "" });

/** The embedded database the suite's actions run on, open from before to after. */
const opened: { container: Container; lifecycle?: Lifecycle } = { container: buildContainer(store()) };

jobs.before(async (context) => {
  const { container } = opened;
  opened.lifecycle = new Lifecycle(container.get<Logger>(Logger));
  await opened.lifecycle.start(container.getAll<Component>(Tokens.Components, { optional: true }));
  // Given a queued job, and a dead one: tried once, failed for good.
  {
    const all = container.get<Jobs>(Jobs);
    context.queued = (
      await all.enqueue(reminder, { orderId: "o-1", note: "n" }, { runAt: new Date("2099-01-01T00:00:00Z") })
    ).job.id;
    context.dead = (await all.enqueue(oneShot, { day: "2026-11-30" })).job.id;
    const queue = container.get<JobQueue>(JobQueue);
    const [claimed] = await queue.claim({ types: [oneShot.name], limit: 1, leaseMs: 30_000, worker: "test" });
    if (claimed === undefined) throw new Error("the one-shot job was not claimed");
    await queue.fail(claimed, { reason: "the report server said no", permanent: false });
  }
});

jobs.after(async () => {
  await opened.lifecycle?.stop();
});

jobs(
  "when the operator lists jobs, then each shows its id, state, type, attempts and last error",
  async ({ dead, queued }) => {
    const printed = await keelJobs("list");
    assert.is(printed.length, 2, printed.join("\n"));
    const deadLine = printed.find((line) => line.startsWith(dead));
    assert.match(
      deadLine ?? "",
      /dead {2}test\.one-shot {2}attempt 1\/1 .*last error: the report server said no/,
    );
    assert.match(
      printed.find((line) => line.startsWith(queued)) ?? "",
      /queued {2}test\.reminder {2}attempt 0\/5 {2}due 2099-01-01/,
    );
  },
);

jobs("when they are filtered by state or type, then only those are listed", async ({ dead, queued }) => {
  assert.equal(
    (await keelJobs("list", "--state", "dead")).map((line) => line.split(" ")[0]),
    [dead],
  );
  assert.equal(
    (await keelJobs("list", "--type", "test.reminder", "--limit", "5")).map((line) => line.split(" ")[0]),
    [queued],
  );
  assert.equal(await keelJobs("list", "--state", "cancelled"), ["no jobs"]);
});

jobs("when a dead job is retried, then it is queued again with a full set of attempts", async ({ dead }) => {
  const [printed] = await keelJobs("retry", dead);
  assert.match(printed ?? "", new RegExp(`^retrying ${dead} {2}queued {2}test\\.one-shot {2}attempt 0/1`));
});

jobs(
  "when a queued job is cancelled, then it is cancelled, and cancelling it again is refused",
  async ({ queued }) => {
    assert.match(
      (await keelJobs("cancel", queued))[0] ?? "",
      new RegExp(`^cancelled ${queued} {2}cancelled`),
    );
    await refused(
      () => keelJobs("cancel", queued),
      CommandFailed,
      /is cancelled: only a queued, failed or dead job is cancelled/,
    );
  },
);

jobs("when the id is unknown or the arguments are wrong, then it says so", async () => {
  await refused(
    () => keelJobs("retry", "00000000-0000-4000-8000-000000000000"),
    CommandFailed,
    /^no job 0{8}/,
  );
  await refused(() => keelJobs("list", "--state", "lost"), UsageError, /the state is one of queued, running/);
  await refused(() => keelJobs("list", "--limit", "0"), UsageError, /whole number from 1 to 1000/);
  await refused(() => keelJobs("cancel"), UsageError, /usage: keel jobs list/);
  await refused(() => keelJobs("list", "dead"), UsageError, /usage: keel jobs list/);
});

jobs(
  "when it runs as keel jobs from the command line, then it prints the list and exits 0; an unknown id exits 1",
  async () => {
    const onDisk = cleanEnv({ ...env, PGLITE__DATA_DIR: mkdtempSync(join(tmpdir(), "keel-jobs-cli-data-")) });
    const list = spawnTs("src/bootstrap/cli.ts", ["jobs", "list", "--state", "dead"], onDisk);
    assert.is(await list.exited(), 0, list.stderr());
    assert.is(list.stdout(), "no jobs\n");
    const retry = spawnTs("src/bootstrap/cli.ts", ["jobs", "retry", "nope"], onDisk);
    assert.is(await retry.exited(), 1);
    assert.match(retry.stderr(), /^keel: no job nope\n$/);
  },
);

jobs(
  "given the memory driver, then the command refuses: its jobs live inside the serving process",
  async () => {
    await refused(
      () => jobsCommand(store({ PERSISTENCE__DRIVER: "memory" }), ["list"], () => {}),
      UsageError,
      /PERSISTENCE__DRIVER=memory keeps its jobs inside the serving process/,
    );
  },
);

jobs.run();
