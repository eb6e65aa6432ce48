import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { decide, type ServiceDecision } from "./services.js";

const run = promisify(execFile);

/**
 * Whether Prometheus's own tools are installed (Debian's `prometheus` package: .ci/run installs it).
 * Skipped locally without them, required under CI=true, like the service-backed suites.
 */
export function decidePrometheus(binary: "promtool" | "prometheus"): Promise<ServiceDecision> {
  return decide(binary, async () => {
    await run(binary, ["--version"]);
  });
}

/** Runs promtool; resolves with its output, rejects with it (stdout and stderr) when it fails. */
export function promtool(args: readonly string[], stdin?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile("promtool", [...args], (error, stdout, stderr) => {
      if (error) reject(new Error(`promtool ${args.join(" ")} failed:\n${stdout}${stderr}`));
      else resolve(`${stdout}${stderr}`);
    });
    child.stdin?.end(stdin ?? "");
  });
}
