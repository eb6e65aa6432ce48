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

/**
 * What `promtool check metrics` finds wrong with an exposition; [] when it is valid. prom-client's
 * default gauges nodejs_active_*_total carry a counter's suffix, which promtool's lint reports: they are
 * the library's names, which dashboards know, so they are left out; any other finding is returned.
 */
export async function expositionFindings(exposition: string): Promise<string[]> {
  const findings = await promtool(["check", "metrics"], exposition).then(
    () => [],
    (error: Error) =>
      error.message
        .split("\n")
        .slice(1)
        .filter((line) => line.trim() !== ""),
  );
  return findings.filter(
    (line) =>
      !/^nodejs_active_(handles|requests|resources)_total non-counter metrics should not have "_total" suffix$/.test(
        line,
      ),
  );
}
