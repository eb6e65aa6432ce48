import * as assert from "uvu/assert";
import { CONFIG_EXIT_CODE, formatConfigIssues } from "../../../src/bootstrap/config/config-issue.js";
import { test } from "../../support/uvu.js";

test("given several issues, when formatted, then a header is followed by one line per key with value, source and expectation", () => {
  const text = formatConfigIssues([
    { key: "HTTP__PORT", source: "environment", value: "eighty", expected: "integer 0..65535" },
    { key: "DATABASE__URL", source: ".env.production", value: "***", expected: "non-empty string" },
    { key: "JWT__SECRET", source: "default", value: undefined, expected: "non-empty string" },
  ]);
  assert.is(
    text,
    [
      "Invalid configuration (3 problems):",
      '  HTTP__PORT ("eighty" from environment): expected integer 0..65535',
      "  DATABASE__URL (*** from .env.production): expected non-empty string",
      "  JWT__SECRET (not set): expected non-empty string",
    ].join("\n"),
  );
});

test("given the exit code for bad configuration, then it is sysexits' EX_CONFIG", () => {
  assert.is(CONFIG_EXIT_CODE, 78);
});

test.run();
