import { type DeliverySettings, deliverySettings } from "../bus-settings.js";

/** A change in the connection that is news to an operator, not an error: the client handles it. */
export type ConnectionChange = "disconnected" | "reconnected" | "connected";

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
  /** Told when the connection drops, comes back, or opens late (after a failed first attempt). */
  readonly onConnection: (change: ConnectionChange, server: string) => void;
}

export type NatsOptions = Partial<NatsSettings>;

export function natsSettings(options: NatsOptions): NatsSettings {
  const { url, stream, subjectPrefix, ackWaitMs, onError, onConnection, ...delivery } = options;
  return {
    ...deliverySettings(delivery),
    url: url ?? "nats://127.0.0.1:4222",
    stream: stream ?? "keel",
    subjectPrefix: subjectPrefix ?? "keel",
    // What EVENT_BUS__ACK_WAIT_MS defaults to: a crashed worker's delivery waits this long.
    ackWaitMs: ackWaitMs ?? 5000,
    onError: onError ?? ((error, context) => process.emitWarning(`${context}: ${String(error)}`)),
    onConnection: onConnection ?? (() => {}),
  };
}
