import { loadService } from "./app-config.js";
import { CommandFailed, UsageError } from "./command-errors.js";
import { CONFIG_EXIT_CODE, ConfigStore, formatConfigIssues, reloadOnSighup } from "./config/index.js";
import { DEAD_LETTERS_USAGE, deadLettersCommand } from "./dead-letters-command.js";
import { JOBS_USAGE, jobsCommand } from "./jobs-command.js";
import { MIGRATE_USAGE, migrate } from "./migrate.js";
import { OPENAPI_USAGE, openApiCommand } from "./openapi-command.js";
import { PERMISSIONS_USAGE, permissionsCommand } from "./permissions-command.js";
import { REPLAY_USAGE, replayCommand } from "./replay-command.js";
import { NEW_USAGE, newCommand } from "./scaffold/new-command.js";
import { serve } from "./serve.js";
import { describeStartupFailure } from "./startup-failure.js";
import { stopOnSignals } from "./stop-on-signals.js";
import { firstLineOfStdin, USERS_USAGE, usersCommand } from "./users-command.js";
import { work } from "./work.js";

/** Exit codes from sysexits.h, which process supervisors understand. */
const EXIT_USAGE = 64;

/** Every command with its one-line usage: `keel --help` lists them, `keel <command> --help` shows one. */
const COMMANDS: Readonly<Record<string, string>> = {
  serve: "keel serve    serve the HTTP API (configuration from .env files and the environment; see README)",
  worker: "keel worker   run the outbox relay and the event subscribers, with health probes",
  migrate: MIGRATE_USAGE,
  replay: REPLAY_USAGE,
  "dead-letters": DEAD_LETTERS_USAGE,
  jobs: JOBS_USAGE,
  users: USERS_USAGE,
  openapi: OPENAPI_USAGE,
  permissions: PERMISSIONS_USAGE,
  new: NEW_USAGE,
};

const USAGE = `usage: keel <command> [--help]

commands:
${Object.values(COMMANDS)
  .map((usage) => `  ${usage.replace(/^keel /, "")}`)
  .join("\n")}
`;

const isHelp = (arg: string | undefined) => arg === "--help" || arg === "-h" || arg === "help";

async function main(argv: readonly string[]): Promise<number | undefined> {
  const [command, firstArg] = argv;
  if (isHelp(command)) {
    process.stdout.write(USAGE);
    return 0;
  }
  const usage = COMMANDS[command ?? ""];
  if (usage === undefined) {
    process.stderr.write(`keel: unknown command ${command ?? "(none)"}\n\n${USAGE}`);
    return EXIT_USAGE;
  }
  if (isHelp(firstArg)) {
    process.stdout.write(`usage: ${usage}\n`);
    return 0;
  }

  const print = (line: string) => process.stdout.write(`${line}\n`);
  // keel new reads and writes source files only: no configuration, so a broken .env cannot stop it.
  if (command === "new") return oneShot(async () => newCommand(process.cwd(), argv.slice(1), print));

  const loaded = await loadService({ env: process.env, dir: process.cwd() });
  if (!loaded.ok) {
    process.stderr.write(`keel: refusing to start\n${formatConfigIssues(loaded.issues)}\n`);
    return CONFIG_EXIT_CODE;
  }
  const { definition, config, reread, contexts, plugins } = loaded;
  const store = new ConfigStore({ definition, config, reread });
  const composition = { contexts, plugins };
  const oneShots: Record<string, () => Promise<void>> = {
    migrate: () => migrate(store, argv.slice(1), print, composition),
    replay: () =>
      replayCommand(store, argv.slice(1), print, (text) => process.stderr.write(text), composition),
    "dead-letters": () => deadLettersCommand(store, argv.slice(1), print, composition),
    jobs: () => jobsCommand(store, argv.slice(1), print, composition),
    users: () => usersCommand(store, argv.slice(1), firstLineOfStdin, print, composition),
    openapi: () => openApiCommand(store, argv.slice(1), print, composition),
    permissions: async () => permissionsCommand([...contexts, ...plugins], print),
  };
  const run = oneShots[command ?? ""];
  if (run !== undefined) return oneShot(run);
  const running = command === "worker" ? await work(store, composition) : await serve(store, composition);
  const stopReloading = reloadOnSighup(store, running.logger);
  stopOnSignals(async () => {
    stopReloading();
    await running.stop();
  }, running.logger);
  return undefined;
}

/** Runs a command that does its work and ends: 0, or its refusal in one line and 64 or 1. */
async function oneShot(run: () => Promise<void>): Promise<number> {
  try {
    await run();
    return 0;
  } catch (error) {
    if (!(error instanceof UsageError || error instanceof CommandFailed)) throw error;
    process.stderr.write(`keel: ${error.message}\n`);
    return error instanceof UsageError ? EXIT_USAGE : 1;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code !== undefined) process.exitCode = code;
  },
  (error: unknown) => {
    // An unavailable dependency is one line and exit 69; anything else is a bug, with its stack.
    const failure = describeStartupFailure(error);
    process.stderr.write(`${failure.line}\n`);
    process.exit(failure.exitCode);
  },
);
