import {
  type ConsumerConfig,
  JetStreamApiCodes,
  JetStreamApiError,
  type JetStreamManager,
  type StreamConfig,
} from "@nats-io/jetstream";

/** Creates the stream, or brings an existing one to this configuration: safe to run at every start. */
export async function declareStream(
  jsm: JetStreamManager,
  config: Partial<StreamConfig> & { name: string },
): Promise<void> {
  const exists = await jsm.streams.info(config.name).then(
    () => true,
    (error: unknown) => (isApiError(error, JetStreamApiCodes.StreamNotFound) ? false : Promise.reject(error)),
  );
  if (exists) await jsm.streams.update(config.name, config);
  // Adding an identical stream is idempotent server-side, so two starting processes may both add.
  else await jsm.streams.add(config);
}

/** Creates the durable consumer, or updates its mutable settings (filters, limits, ack wait). */
export async function declareConsumer(
  jsm: JetStreamManager,
  stream: string,
  config: Partial<ConsumerConfig> & { durable_name: string },
): Promise<void> {
  const name = config.durable_name;
  const exists = await jsm.consumers.info(stream, name).then(
    () => true,
    (error: unknown) =>
      isApiError(error, JetStreamApiCodes.ConsumerNotFound) ? false : Promise.reject(error),
  );
  if (!exists) {
    await jsm.consumers.add(stream, config);
    return;
  }
  const { ack_wait, max_deliver, max_ack_pending, filter_subjects } = config;
  await jsm.consumers.update(stream, name, { ack_wait, max_deliver, max_ack_pending, filter_subjects });
}

function isApiError(error: unknown, code: number): boolean {
  return error instanceof JetStreamApiError && error.code === code;
}
