import { backoffSchedule, boolean, integer, natsUrl, nonEmptyString, oneOf } from "../codecs.js";
import { setting } from "../define-config.js";

// Messaging: the event bus, NATS, the outbox relay and the worker.

export const eventBusSettings = {
  driver: setting(oneOf(["memory", "nats"]), {
    default: { development: "memory", test: "memory", production: "nats" },
    live: false,
    description:
      "Where the relay publishes events and subscribers consume them: in process, or NATS JetStream.",
  }),
  stream: setting(nonEmptyString, {
    default: "keel",
    live: false,
    description: "JetStream stream name; subjects are <stream>.<context>.<event-type>.",
  }),
  duplicateWindowMs: setting(integer(1000, 86400000), {
    default: "120000",
    live: false,
    description: "How long the bus remembers event ids to drop re-published duplicates, in ms.",
  }),
  maxDeliver: setting(integer(1, 100), {
    default: "5",
    live: false,
    description: "Deliveries of one event to a subscriber before it goes to the dead letters.",
  }),
  ackWaitMs: setting(integer(100, 3600000), {
    default: "5000",
    live: false,
    description:
      "How long a delivery may go unacknowledged before the bus redelivers it, in ms; a running handler extends it (in-progress acks), so this bounds only how long a crashed worker's delivery waits.",
  }),
  backoffMs: setting(backoffSchedule, {
    default: "100,1000,5000",
    live: false,
    description: "Delays before each redelivery after a failure, in ms (the last one repeats).",
  }),
};

export const natsSettings = {
  url: setting(natsUrl, {
    default: "nats://127.0.0.1:4222",
    live: false,
    description: "NATS server (EVENT_BUS__DRIVER=nats).",
  }),
};

export const relaySettings = {
  batchSize: setting(integer(1, 10000), {
    default: "200",
    live: false,
    description: "Events the relay reads and publishes per round.",
  }),
  pollMs: setting(integer(10, 60000), {
    default: "500",
    live: false,
    description: "Longest wait between rounds when no append signal arrives, in ms.",
  }),
  maxLagS: setting(integer(1, 86400), {
    default: "60",
    live: false,
    description:
      "Readiness reports relay-lag down (reported, not required) while the oldest unpublished event is older than this, in seconds.",
  }),
};

export const workerSettings = {
  inProcess: setting(boolean, {
    default: { development: "true", test: "false", production: "false" },
    live: false,
    description: "Run the relay and subscribers inside keel serve (one process for development).",
  }),
  healthPort: setting(integer(0, 65535), {
    default: "3001",
    live: false,
    description: "Port of keel worker's /health/live and /health/ready (on HTTP__HOST); 0 picks a free one.",
  }),
};
