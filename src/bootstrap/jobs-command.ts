import { type JobFilter, type JobRecord, type JobState, Jobs } from "../ports/jobs.js";
import { CommandFailed, UsageError } from "./command-errors.js";
import type { ConfigStore } from "./config/index.js";
import type { Composition } from "./container.js";
import { withAdapters } from "./with-adapters.js";

export const JOBS_USAGE =
  "keel jobs list [--state queued|running|failed|succeeded|dead|cancelled] [--type <type>] [--limit <n>] | retry <id> | cancel <id>";

const STATES: readonly JobState[] = ["queued", "running", "failed", "succeeded", "dead", "cancelled"];

/** Shows background jobs, most recently changed first; runs a failed or dead one again; cancels one. */
export async function jobsCommand(
  store: ConfigStore,
  args: readonly string[],
  print: (line: string) => void,
  composition: Composition = {},
): Promise<void> {
  if (store.get().persistence.driver === "memory")
    throw new UsageError("PERSISTENCE__DRIVER=memory keeps its jobs inside the serving process");
  // Arguments are checked before the database is opened: a typo costs no connection.
  const run = jobsAction(args);
  await withAdapters(store, (container) => run(container.get<Jobs>(Jobs), print), composition);
}

/** What `keel jobs <args>` does, given the jobs; a usage error when the arguments say nothing it does. */
export function jobsAction(
  args: readonly string[],
): (jobs: Jobs, print: (line: string) => void) => Promise<void> {
  const [action, ...rest] = args;
  if (action === "list") {
    const filter = listFilter(rest);
    return (jobs, print) => list(jobs, filter, print);
  }
  if ((action === "retry" || action === "cancel") && rest.length === 1)
    return (jobs, print) => change(jobs, action, rest[0] as string, print);
  throw new UsageError(`usage: ${JOBS_USAGE}`);
}

function listFilter(args: readonly string[]): JobFilter {
  const options = flags(args);
  const state = options.state;
  if (state !== undefined && !STATES.includes(state as JobState))
    throw new UsageError(`the state is one of ${STATES.join(", ")}`);
  const limit = options.limit === undefined ? 50 : Number(options.limit);
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > 1000)
    throw new UsageError("the limit is a whole number from 1 to 1000");
  return {
    limit,
    ...(state === undefined ? {} : { state: state as JobState }),
    ...(options.type === undefined ? {} : { type: options.type }),
  };
}

async function list(jobs: Jobs, filter: JobFilter, print: (line: string) => void): Promise<void> {
  const found = await jobs.list(filter);
  if (found.length === 0) print("no jobs");
  for (const job of found) print(line(job));
}

async function change(
  jobs: Jobs,
  action: "retry" | "cancel",
  id: string,
  print: (line: string) => void,
): Promise<void> {
  const changed = action === "retry" ? await jobs.retry(id) : await jobs.cancel(id);
  if (changed.outcome === "not-found") throw new CommandFailed(`no job ${id}`);
  if (changed.outcome === "refused")
    throw new CommandFailed(
      action === "retry"
        ? `job ${id} is ${changed.job.state}: only a failed, dead or cancelled job is retried`
        : `job ${id} is ${changed.job.state}: only a queued, failed or dead job is cancelled`,
    );
  print(`${action === "retry" ? "retrying" : "cancelled"} ${line(changed.job)}`);
}

/** One job per line, the columns an operator scans: id, state, type, attempts, when due, why it failed. */
function line(job: JobRecord): string {
  const failure = job.lastError === null ? "" : `  last error: ${job.lastError}`;
  return `${job.id}  ${job.state}  ${job.type}  attempt ${job.attempts}/${job.maxAttempts}  due ${job.runAt.toISOString()}${failure}`;
}

/** `--name value` pairs; anything else is a usage error. */
function flags(args: readonly string[]): { state?: string; type?: string; limit?: string } {
  const found: Record<string, string> = {};
  for (let i = 0; i < args.length; i += 2) {
    const name = args[i]?.replace(/^--/, "");
    const value = args[i + 1];
    if (!args[i]?.startsWith("--") || !["state", "type", "limit"].includes(name ?? "") || value === undefined)
      throw new UsageError(`usage: ${JOBS_USAGE}`);
    found[name as string] = value;
  }
  return found;
}
