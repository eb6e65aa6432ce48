import { token } from "./token.js";

export type LogLevel = "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent";

/** Structured logger: the first argument holds fields, the second the human message. */
export interface Logger {
  error(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
  info(fields: Record<string, unknown>, message: string): void;
  debug(fields: Record<string, unknown>, message: string): void;
  child(bindings: Record<string, unknown>): Logger;
  /** Lets a caller skip building fields for a line that would not be written. */
  isLevelEnabled(level: LogLevel): boolean;
}
export const Logger = token<Logger>("Logger");
