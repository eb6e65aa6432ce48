/**
 * A process that writes LINES log lines through keel's stdout destination and then dies of a fatal
 * error (CRASH=throw: an uncaught exception; CRASH=reject: an unhandled rejection), for
 * log-flush.test.ts: what was logged before the crash must all reach stdout.
 */
import { createLogDestination } from "../../../src/adapters/logging/log-destination.js";
import { createPinoLogger } from "../../../src/adapters/logging/pino-logger.js";

const lines = Number(process.env.LINES);
const logger = createPinoLogger(
  { get: () => ({ level: "info" as const }), subscribe: () => () => {} },
  { pretty: false, destination: createLogDestination({ pretty: false }) },
);
for (let n = 0; n < lines; n += 1) logger.info({ n }, "before the crash");
// A turn later, as a request handler's failure would come: the first batch is being written by then.
setImmediate(() => {
  if (process.env.CRASH === "reject") void Promise.reject(new Error("rejected on purpose"));
  else throw new Error("thrown on purpose");
});
