import { DRIVERS, type Driver, driverDecisions, openStore, type Store } from "./persistence.js";
import { suite } from "./uvu.js";

type Spec = (name: string, body: (store: Store) => Promise<void>) => void;

/**
 * One contract, run against every persistence driver. Each driver gets its own store (fresh schema
 * on PostgreSQL), configured by `env` on top of the test defaults (a plugin's contract enables it);
 * a driver whose service is missing is reported as skipped, with the reason, unless CI requires it
 * (then deciding fails the run).
 */
export async function contract(
  name: string,
  define: (it: Spec, driver: Driver) => void,
  env: Record<string, string> = {},
): Promise<void> {
  const decisions = await driverDecisions();
  for (const driver of DRIVERS) {
    const decision = decisions[driver];
    const s = suite<{ store?: Store }>(`${name} [${driver}]`);
    if (decision.run) {
      s.before(async (context) => {
        context.store = await openStore(driver, env);
      });
      s.after(async (context) => {
        await context.store?.close();
      });
    } else {
      console.log(`  ${name} [${driver}] skipped: ${decision.reason}`);
    }
    define((title, body) => {
      const run = async (context: { store?: Store }) => {
        if (context.store === undefined) throw new Error("store not opened");
        await body(context.store);
      };
      if (decision.run) s(title, run);
      else s.skip(title, run);
    }, driver);
    s.run();
  }
}
