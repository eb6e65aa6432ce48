import { jetstreamManager } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";
import { decide, type ServiceDecision } from "./services.js";

/** The local server unless NATS__URL says otherwise. */
export const NATS_URL = process.env.NATS__URL ?? "nats://127.0.0.1:4222";

let decision: Promise<ServiceDecision> | undefined;

/** Whether NATS suites run: skipped with the reason locally, required under CI=true. */
export function natsDecision(): Promise<ServiceDecision> {
  decision ??= decide("NATS JetStream", async () => {
    const nc = await connect({ servers: NATS_URL, timeout: 2000, reconnect: false });
    try {
      await (await jetstreamManager(nc)).getAccountInfo();
    } finally {
      await nc.close();
    }
  });
  return decision;
}

/** Deletes a test's streams (events and dead letters), whatever state they are in. */
export async function deleteStreams(...names: string[]): Promise<void> {
  const nc = await connect({ servers: NATS_URL, timeout: 2000, reconnect: false });
  try {
    const jsm = await jetstreamManager(nc);
    for (const name of names) await jsm.streams.delete(name).catch(() => false);
  } finally {
    await nc.close();
  }
}
