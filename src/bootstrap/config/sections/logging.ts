import type { LogLevel } from "../../../ports/logger.js";
import { boolean, integer, oneOf, optionalText } from "../codecs.js";
import { setting } from "../define-config.js";

// Logging: level, format and the rotating log file.

const LOG_LEVELS = [
  "fatal",
  "error",
  "warn",
  "info",
  "debug",
  "trace",
  "silent",
] as const satisfies readonly LogLevel[];

export const logSettings = {
  level: setting(oneOf(LOG_LEVELS), {
    default: { development: "info", test: "silent", production: "info" },
    live: true,
    description: "Lowest log level written.",
  }),
  pretty: setting(boolean, {
    default: { development: "true", test: "false", production: "false" },
    live: false,
    description: "Human-readable log lines instead of JSON.",
  }),
  file: setting(optionalText, {
    default: "",
    live: false,
    description:
      "Also write JSON log lines to this file, rotated by size (a worker thread writes it); empty for stdout only.",
  }),
  fileMaxBytes: setting(integer(1024, 10737418240), {
    default: "104857600",
    live: false,
    description: "Size at which LOG__FILE is rotated, in bytes.",
  }),
  fileKeep: setting(integer(1, 1000), {
    default: "10",
    live: false,
    description: "Rotated log files kept besides the current one; older ones are deleted.",
  }),
};
