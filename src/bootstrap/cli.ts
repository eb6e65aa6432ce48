import { Logger } from "../ports/logger.js";
import {
  appConfig,
  CONFIG_EXIT_CODE,
  ConfigStore,
  formatConfigIssues,
  loadConfig,
  reloadOnSighup,
} from "./config/index.js";
import { serve } from "./serve.js";

/** Exit codes from sysexits.h, which process supervisors understand. */
const EXIT_USAGE = 64;

const USAGE = `usage: keel <command>

commands:
  serve    serve the HTTP API (configuration from .env files and the environment; see README)
`;

async function main(argv: readonly string[]): Promise<void> {
  const [command] = argv;
  if (command === "--help" || command === "-h" || command === "help") {
    process.stdout.write(USAGE);
    return;
  }
  if (command !== "serve") {
    process.stderr.write(`keel: unknown command ${command ?? "(none)"}\n\n${USAGE}`);
    process.exitCode = EXIT_USAGE;
    return;
  }

  const read = () => loadConfig({ env: process.env, dir: process.cwd() });
  const loaded = read();
  if (!loaded.ok) {
    process.stderr.write(`keel: invalid configuration\n${formatConfigIssues(loaded.issues)}\n`);
    process.exitCode = CONFIG_EXIT_CODE;
    return;
  }
  const store = new ConfigStore({ definition: appConfig, config: loaded.config, reread: read });
  const running = await serve(store);
  const logger = running.container.get<Logger>(Logger);
  const stopReloading = reloadOnSighup(store, logger);

  let stopping = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down");
    stopReloading();
    running.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, "shutdown failed");
        process.exit(1);
      },
    );
  };
  process.once("SIGTERM", shutdown);
  process.once("SIGINT", shutdown);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`keel: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
