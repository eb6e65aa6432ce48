/**
 * `keel serve` as the CLI runs it, with the fixture plugins (test/fixtures/plugins) instead of the
 * repository's, for log-flush.test.ts: PLUGINS__ENABLED=failing-start,alpha starts the adapters and
 * alpha, logging each, then fails; like the CLI, it then says why on stderr and exits at once.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { loadService } from "../../../src/bootstrap/app-config.js";
import { ConfigStore } from "../../../src/bootstrap/config/index.js";
import { serve } from "../../../src/bootstrap/serve.js";
import { describeStartupFailure } from "../../../src/bootstrap/startup-failure.js";

const loaded = await loadService({
  env: process.env,
  dir: process.cwd(),
  pluginSources: {
    folder: resolve(import.meta.dirname, "../../fixtures/plugins"),
    packagesFrom: mkdtempSync(join(tmpdir(), "keel-no-packages-")),
  },
});
if (!loaded.ok) throw new Error(JSON.stringify(loaded.issues));
const { definition, config, reread, contexts, plugins } = loaded;
try {
  await serve(new ConfigStore({ definition, config, reread }), { contexts, plugins });
  process.stderr.write("started, though a plugin was to fail\n");
  process.exit(2);
} catch (error) {
  const failure = describeStartupFailure(error);
  process.stderr.write(`${failure.line}\n`);
  process.exit(failure.exitCode);
}
