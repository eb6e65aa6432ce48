import {
  appConfig,
  CONFIG_EXIT_CODE,
  ConfigStore,
  formatConfigIssues,
  loadConfig,
  reloadOnSighup,
} from "./config/index.js";
import { serve } from "./serve.js";
import { stopOnSignals } from "./stop-on-signals.js";

/** Exit codes from sysexits.h, which process supervisors understand. */
const EXIT_USAGE = 64;

const USAGE = `usage: keel <command>

commands:
  serve    serve the HTTP API (configuration from .env files and the environment; see README)
`;

async function main(argv: readonly string[]): Promise<number | undefined> {
  const [command] = argv;
  if (command === "--help" || command === "-h" || command === "help") {
    process.stdout.write(USAGE);
    return 0;
  }
  if (command !== "serve") {
    process.stderr.write(`keel: unknown command ${command ?? "(none)"}\n\n${USAGE}`);
    return EXIT_USAGE;
  }

  const read = () => loadConfig({ env: process.env, dir: process.cwd() });
  const loaded = read();
  if (!loaded.ok) {
    process.stderr.write(`keel: refusing to start\n${formatConfigIssues(loaded.issues)}\n`);
    return CONFIG_EXIT_CODE;
  }
  const store = new ConfigStore({ definition: appConfig, config: loaded.config, reread: read });
  const running = await serve(store);
  const stopReloading = reloadOnSighup(store, running.logger);
  stopOnSignals(async () => {
    stopReloading();
    await running.stop();
  }, running.logger);
  return undefined;
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code !== undefined) process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(
      `keel: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  },
);
