import { test as uvuTest } from "./uvu.js";

/**
 * Suites that need a real PostgreSQL, Redis or NATS run when the service answers. Locally a missing
 * service skips them with the reason; under CI=true they are required, so a missing service fails
 * the run instead of passing it silently.
 */
export type ServiceDecision = { readonly run: true } | { readonly run: false; readonly reason: string };

export function servicesRequired(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.CI === "true" || env.CI === "1";
}

export async function decide(
  service: string,
  probe: () => Promise<void>,
  env: NodeJS.ProcessEnv = process.env,
): Promise<ServiceDecision> {
  try {
    await probe();
    return { run: true };
  } catch (error) {
    const reason = `${service} unreachable: ${error instanceof Error ? error.message : String(error)}`;
    if (servicesRequired(env)) throw new Error(`${reason} (required because CI=true)`);
    return { run: false, reason };
  }
}

/**
 * Registers `name` as a test that runs when the service is there, or as a skipped test (counted
 * as skipped, reason printed) when it is not and CI does not require it.
 */
export function serviceTest(decision: ServiceDecision, name: string, body: () => Promise<void>): void {
  if (decision.run) {
    uvuTest(name, body);
  } else {
    console.log(`  skipped: ${name} — ${decision.reason}`);
    uvuTest.skip(name, body);
  }
}
