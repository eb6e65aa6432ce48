import { eventually } from "./eventually.js";
import type { ProductionStack } from "./production-stack.js";

/**
 * Stops a production stack after its proxies have let go of every connection. The processes are
 * killed first and the proxies given a moment (at most 5 s) to see their connections close, as they
 * do when the peer goes away; only then does ProductionStack.stop() close the proxies, which resets
 * whatever is still open. Resetting a proxied socket while the dying peer's close is still on its way
 * can leave a socket handle that never finishes closing (seen on Node 20: five destroyed server-side
 * sockets after a run that SIGKILLed a worker), and the test process then spins at exit forever.
 */
export async function stopStack(stack: ProductionStack): Promise<void> {
  for (const { spawned } of stack.running.values()) {
    spawned.child.kill("SIGKILL");
    await spawned.exited();
  }
  const open = () => stack.postgres.connections + stack.nats.connections + stack.redis.connections;
  await eventually("the proxies to see every connection close", open, (n) => n === 0, 5000).catch(
    () => undefined,
  );
  await stack.stop();
}
