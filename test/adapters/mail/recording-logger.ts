import type { Logger, LogLevel } from "../../../src/ports/logger.js";

export interface LogEntry {
  readonly level: Exclude<LogLevel, "fatal" | "trace" | "silent">;
  readonly fields: Record<string, unknown>;
  readonly message: string;
}

/** A Logger port that keeps its lines in memory, so a test can read what an adapter logged. */
export function recordingLogger(entries: LogEntry[] = []): Logger & { readonly entries: LogEntry[] } {
  const at = (level: LogEntry["level"]) => (fields: Record<string, unknown>, message: string) => {
    entries.push({ level, fields, message });
  };
  return {
    entries,
    error: at("error"),
    warn: at("warn"),
    info: at("info"),
    debug: at("debug"),
    child: () => recordingLogger(entries),
    isLevelEnabled: () => true,
  };
}
