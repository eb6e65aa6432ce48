/**
 * .github/workflows/ci.yml, read by GitHub's own workflow parser (@actions/workflow-parser, the one
 * behind the Actions language server): it is a valid workflow, it runs .ci/run with the services
 * keel's suites need, and it builds the image after the tests, pushing only on a version tag.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { convertWorkflowTemplate, NoOperationTraceWriter, parseWorkflow } from "@actions/workflow-parser";
import * as assert from "uvu/assert";
import { parse } from "yaml";
import { ROOT } from "../support/child-process.js";
import { test } from "../support/uvu.js";

const WORKFLOW = readFileSync(join(ROOT, ".github/workflows/ci.yml"), "utf8");

function errors(content: string): string[] {
  const parsed = parseWorkflow({ name: "ci.yml", content }, new NoOperationTraceWriter());
  return parsed.context.errors.getErrors().map((e) => e.message);
}

test("given the CI workflow, when GitHub's workflow parser reads it, then it finds no error", async () => {
  assert.equal(errors(WORKFLOW), []);
  const parsed = parseWorkflow({ name: "ci.yml", content: WORKFLOW }, new NoOperationTraceWriter());
  if (parsed.value === undefined) throw new Error("no workflow");
  const template = await convertWorkflowTemplate(parsed.context, parsed.value);
  assert.equal(
    template.jobs.map((job) => job.id.value),
    ["test", "image"],
  );
});

test("given a workflow with a misspelt job key, then the parser reports it", () => {
  const broken = WORKFLOW.replace(/^ {4}steps:$/m, "    step:");
  assert.ok(errors(broken).some((e) => e.includes("Unexpected value 'step'")));
});

test("given the CI workflow, then the test job runs .ci/run with PostgreSQL, Redis and NATS JetStream, and the image is built after it and pushed on tags only", () => {
  const workflow = parse(WORKFLOW) as {
    on: { push: { tags: string[] } };
    // biome-ignore lint/suspicious/noExplicitAny: jobs are read field by field
    jobs: Record<string, any>;
  };
  const { test: tests, image } = workflow.jobs;
  const runs = (job: { steps: { run?: string; uses?: string }[] }) =>
    job.steps.map((s) => s.run ?? s.uses ?? "");
  assert.ok(runs(tests).includes("bash .ci/run"));
  assert.equal(Object.keys(tests.services).sort(), ["postgres", "redis"]);
  assert.ok(runs(tests).some((run) => /nats-server -js /.test(run)));
  assert.ok(
    runs(tests).some((run) => /kubectl/.test(run)),
    "kubectl for kustomize rendering",
  );
  assert.is(image.needs, "test");
  const build = image.steps.find((s: { uses?: string }) => s.uses?.startsWith("docker/build-push-action"));
  assert.is(build.with.push, `\${{ github.ref_type == 'tag' }}`);
  assert.equal(workflow.on.push.tags, ["v*"]);
});

test.run();
