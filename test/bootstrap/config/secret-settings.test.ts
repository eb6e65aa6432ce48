import * as assert from "uvu/assert";
import { nonEmptyString, origins } from "../../../src/bootstrap/config/codecs.js";
import { formatConfigIssues } from "../../../src/bootstrap/config/config-issue.js";
import { appEnvSetting, defineConfig, setting } from "../../../src/bootstrap/config/define-config.js";
import { loadConfigWith } from "../../../src/bootstrap/config/load-config.js";
import { test } from "../../support/uvu.js";
import { configDir } from "./config-dir.js";

/** A small definition with the kind of secrets later issues add (DATABASE__URL, JWT secrets). */
const vaultConfig = defineConfig(
  {
    appEnv: appEnvSetting,
    database: {
      url: setting(nonEmptyString, {
        default: {
          development: "postgres://localhost/dev",
          test: "postgres://localhost/test",
          production: undefined,
        },
        live: false,
        secret: true,
        description: "Connection string, credentials included.",
      }),
      // A codec whose error detail quotes the value, to prove a secret's detail is withheld.
      replicaUrls: setting(origins, {
        default: "",
        live: false,
        secret: true,
        description: "Read replicas.",
      }),
    },
  },
  [
    ({ appEnv, database }) =>
      appEnv === "production" && database.url?.includes("localhost") === true
        ? [{ key: "DATABASE__URL", expected: "a database other than localhost in production" }]
        : [],
  ],
);

function issuesOf(env: Record<string, string>, files: Record<string, string> = {}) {
  const result = loadConfigWith(vaultConfig, { env, dir: configDir(files) });
  if (result.ok) throw new Error("expected the config to be refused");
  return result.issues;
}

test("given a secret key with an invalid value, when loading, then its value is *** and the expectation does not quote it", () => {
  const issues = issuesOf({}, { ".env": "DATABASE__REPLICA_URLS=ftp://admin:hunter2@replica\n" });
  assert.equal(issues, [
    {
      key: "DATABASE__REPLICA_URLS",
      source: ".env",
      value: "***",
      expected: "comma-separated origins (http(s)://host[:port] or *), or empty",
    },
  ]);
  assert.not.match(formatConfigIssues(issues), "hunter2");
});

test("given a required secret missing in production, when loading, then it is listed as not set", () => {
  assert.equal(issuesOf({ APP_ENV: "production" }), [
    { key: "DATABASE__URL", source: "default", value: undefined, expected: "non-empty string" },
  ]);
});

test("given a cross-field rule refusing a secret key, when loading, then its value is redacted too", () => {
  const issues = issuesOf({ APP_ENV: "production", DATABASE__URL: "postgres://admin:hunter2@localhost/db" });
  assert.equal(issues, [
    {
      key: "DATABASE__URL",
      source: "environment",
      value: "***",
      expected: "a database other than localhost in production",
    },
  ]);
  assert.not.match(formatConfigIssues(issues), "hunter2");
});

test("given a misspelt secret key in .env, when loading, then the error names the real key without showing the value", () => {
  const issues = issuesOf({}, { ".env": "DATABASE__UTL=postgres://admin:hunter2@db.internal/app\n" });
  assert.equal(issues, [
    {
      key: "DATABASE__UTL",
      source: ".env",
      value: "***",
      expected: "a known key (did you mean DATABASE__URL?)",
    },
  ]);
});

test("given valid secrets, when loading, then the config holds their real values", () => {
  const result = loadConfigWith(vaultConfig, {
    env: { APP_ENV: "production", DATABASE__URL: "postgres://admin:hunter2@db.internal/app" },
    dir: configDir(),
  });
  assert.ok(result.ok);
  if (result.ok) assert.is(result.config.database.url, "postgres://admin:hunter2@db.internal/app");
});

test.run();
