import pino, { type DestinationStream, type Logger as Pino } from "pino";
import pretty from "pino-pretty";
import type { LiveConfig } from "../../ports/live-config.js";
import type { Logger, LogLevel } from "../../ports/logger.js";

const LEVEL_VALUE: Record<LogLevel, number> = {
  trace: 10,
  debug: 20,
  info: 30,
  warn: 40,
  error: 50,
  fatal: 60,
  silent: Number.POSITIVE_INFINITY,
};

/** Paths whose values never reach a log line, wherever they appear. */
const REDACT = [
  "password",
  "*.password",
  "token",
  "*.token",
  "secret",
  "*.secret",
  "headers.authorization",
  "*.headers.authorization",
  'headers["x-api-key"]',
  '*.headers["x-api-key"]',
];

export interface LoggerSettings {
  readonly level: LogLevel;
}

/**
 * The Logger port on pino. The level lives in one shared gate rather than in pino, because pino
 * children copy their parent's level when created: a live level change must reach long-lived
 * children too.
 */
export function createPinoLogger(
  settings: LiveConfig<LoggerSettings>,
  options: { readonly pretty: boolean; readonly destination?: DestinationStream; readonly name?: string },
): PinoLogger {
  const gate = { value: LEVEL_VALUE[settings.get().level] };
  settings.subscribe((next) => {
    gate.value = LEVEL_VALUE[next.level];
  });
  const destination =
    options.destination ??
    (options.pretty
      ? pretty({ colorize: true, translateTime: "SYS:HH:MM:ss.l", ignore: "pid,hostname" })
      : pino.destination({ sync: false }));
  const root = pino(
    { level: "trace", name: options.name ?? "keel", redact: { paths: REDACT, censor: "[redacted]" } },
    destination,
  );
  return new PinoLogger(root, gate);
}

export class PinoLogger implements Logger {
  constructor(
    private readonly pino: Pino,
    private readonly gate: { value: number },
  ) {}

  error(fields: Record<string, unknown>, message: string): void {
    if (this.gate.value <= 50) this.pino.error(fields, message);
  }

  warn(fields: Record<string, unknown>, message: string): void {
    if (this.gate.value <= 40) this.pino.warn(fields, message);
  }

  info(fields: Record<string, unknown>, message: string): void {
    if (this.gate.value <= 30) this.pino.info(fields, message);
  }

  debug(fields: Record<string, unknown>, message: string): void {
    if (this.gate.value <= 20) this.pino.debug(fields, message);
  }

  child(bindings: Record<string, unknown>): Logger {
    return new PinoLogger(this.pino.child(bindings), this.gate);
  }

  /** Writes out what the asynchronous destination still buffers; call before the process exits. */
  flush(): void {
    this.pino.flush();
  }
}
