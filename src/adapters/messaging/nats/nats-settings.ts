import { type DeliverySettings, deliverySettings } from "../bus-settings.js";

export interface NatsSettings extends DeliverySettings {
  readonly url: string;
  /** Events stream; dead letters go to `<stream>_dead_letters`. */
  readonly stream: string;
  /** First subject token (`<prefix>.<context>.<name>`); tests use their own so runs never collide. */
  readonly subjectPrefix: string;
  /** Time a delivery may take before JetStream redelivers it (the handler's heartbeat extends it). */
  readonly ackWaitMs: number;
  /** Told about failures no caller can be told about (a delivery whose ack or nak could not be sent). */
  readonly onError: (error: unknown, context: string) => void;
}

export type NatsOptions = Partial<NatsSettings>;

export function natsSettings(options: NatsOptions): NatsSettings {
  const { url, stream, subjectPrefix, ackWaitMs, onError, ...delivery } = options;
  return {
    ...deliverySettings(delivery),
    url: url ?? "nats://127.0.0.1:4222",
    stream: stream ?? "keel",
    subjectPrefix: subjectPrefix ?? "keel",
    ackWaitMs: ackWaitMs ?? 30_000,
    onError: onError ?? ((error, context) => process.emitWarning(`${context}: ${String(error)}`)),
  };
}
