/**
 * uvu's own command (`uvu <dir> <pattern>`) with an end: once every suite has run and uvu has printed
 * its totals, the process exits with uvu's code even if something is still running. A test that failed
 * half way can leave a server or a polling loop behind (its `finally` never reached the stop), and the
 * process would then wait on it forever, hiding the report behind CI's timeout. What is left is named.
 */
process.env.FORCE_COLOR = "1";
const { parse } = await import("uvu/parse");
const { run } = await import("uvu/run");

/** Child processes' last output and closing sockets get this long before the process is ended. */
const GRACE_MS = 10_000;

const [dir = "test", pattern] = process.argv.slice(2);
const found = await parse(dir, pattern, { cwd: "." });
await run(found.suites, { bail: false });

setTimeout(() => {
  const left = process.getActiveResourcesInfo().filter((kind) => kind !== "TTYWrap" && kind !== "PipeWrap");
  process.stderr.write(
    `\nuvu-run: every suite has run, but ${left.length} resources still held the process ${GRACE_MS / 1000} s later ` +
      `(${[...new Set(left)].join(", ")}): a test left something running; ending it\n`,
  );
  process.exit(process.exitCode ?? 0);
}, GRACE_MS).unref();
