/**
 * deploy/k8s: the Kustomize base and its dev and prod overlays, rendered as `kubectl kustomize` does,
 * validated against the Kubernetes API schemas (kubernetes-models), and held against keel itself:
 * every environment key is one keel knows and no secret sits in a ConfigMap, the probes are keel's on
 * the port keel listens on, grace periods cover keel's drain and shutdown, selectors select, and
 * keel's own loader accepts each overlay's configuration as production. The files themselves are
 * checked without kubectl too, with the same checks shown failing on a broken copy.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as assert from "uvu/assert";
import { parse } from "yaml";
import { serviceTest } from "../support/services.js";
import { test } from "../support/uvu.js";
import { DEVELOPMENT_JWT_SECRET, keelAccepts } from "./keel-config.js";
import { findings, type KeelContainer, plainEnv } from "./keel-containers.js";
import {
  K8S_DIR,
  type K8sObject,
  KUSTOMIZATIONS,
  keelContainers,
  kubectlDecision,
  objects,
  renderAll,
  schemaFindings,
} from "./kubernetes-objects.js";

/** The base as committed, without kustomize: its resource files, and keel-config made from keel.env. */
function baseObjects(): K8sObject[] {
  const base = join(K8S_DIR, "base");
  const kustomization = parse(readFileSync(join(base, "kustomization.yaml"), "utf8")) as {
    resources: string[];
  };
  const resources = kustomization.resources.flatMap((file) =>
    objects(readFileSync(join(base, file), "utf8")),
  );
  const data = Object.fromEntries(
    readFileSync(join(base, "keel.env"), "utf8")
      .split("\n")
      .filter((line) => /^[A-Z]/.test(line))
      .map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)]),
  );
  return [...resources, { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "keel-config" }, data }];
}

function withConfig(list: readonly K8sObject[], change: (data: Record<string, string>) => void): K8sObject[] {
  return list.map((object) => {
    if (object.kind !== "ConfigMap") return object;
    const data = { ...object.data };
    change(data);
    return { ...object, data };
  });
}

test("given the base's files as committed, when each object is validated against the Kubernetes schemas, then every one is valid", () => {
  const list = baseObjects();
  assert.equal(list.map((o) => o.kind).sort(), [
    "ConfigMap",
    "Deployment",
    "Deployment",
    "HorizontalPodAutoscaler",
    "Job",
    "NetworkPolicy",
    "NetworkPolicy",
    "NetworkPolicy",
    "PodDisruptionBudget",
    "PodDisruptionBudget",
    "Service",
    "ServiceAccount",
  ]);
  assert.equal(schemaFindings(list), []);
});

test("given a manifest with a wrong type or a missing required field, then the schema check reports it", () => {
  const broken = baseObjects().map((object) =>
    object.kind === "Deployment" && object.metadata.name === "keel-serve"
      ? {
          ...object,
          spec: {
            ...object.spec,
            template: {
              ...object.spec.template,
              spec: {
                ...object.spec.template.spec,
                terminationGracePeriodSeconds: "30",
                containers: [{ image: "keel" }],
              },
            },
          },
        }
      : object,
  );
  const found = schemaFindings(broken).join("\n");
  assert.match(found, /Deployment keel-serve: .*terminationGracePeriodSeconds must be integer/);
  assert.match(found, /Deployment keel-serve: .*containers\/0 must have required property name/);
});

test("given the base's keel containers, when held against keel's configuration, then keys, secrets, probes, ports and grace periods all agree", () => {
  const containers = keelContainers(baseObjects());
  assert.equal(containers.map((c) => `${c.where}: ${c.command}`).sort(), [
    "Deployment keel-serve: serve",
    "Deployment keel-worker: worker",
    "Job keel-migrate: migrate",
  ]);
  assert.equal(findings(containers), []);
});

test("given a copy of the base with an unknown key, a committed secret, a moved port or a short grace period, then the check names each", () => {
  const base = baseObjects();
  const serve = (list: K8sObject[]) => keelContainers(list).filter((c) => c.command === "serve");
  assert.equal(findings(serve(withConfig(base, (data) => Object.assign(data, { HTTP__PROTT: "3000" })))), [
    "Deployment keel-serve: HTTP__PROTT is not a key of keel's configuration",
  ]);
  assert.equal(
    findings(serve(withConfig(base, (data) => Object.assign(data, { AUTH__JWT_SECRET: "x".repeat(40) })))),
    ["Deployment keel-serve: AUTH__JWT_SECRET is a secret but its value is committed (config)"],
  );
  const moved = findings(serve(withConfig(base, (data) => Object.assign(data, { HTTP__PORT: "8080" }))));
  assert.ok(
    moved.includes("Deployment keel-serve: keel serve listens on 8080 (HTTP__PORT), not declared"),
    moved.join("\n"),
  );
  assert.ok(
    moved.includes("Deployment keel-serve: readiness probe on port 3000, keel listens on 8080 (HTTP__PORT)"),
  );
  assert.equal(
    findings(serve(withConfig(base, (data) => Object.assign(data, { HTTP__SHUTDOWN_TIMEOUT_MS: "25000" })))),
    [
      "Deployment keel-serve: grace period 30 s is not above HTTP__DRAIN_DELAY_MS (10000) + HTTP__SHUTDOWN_TIMEOUT_MS (25000)",
    ],
  );
});

const kubectl = await kubectlDecision();
const rendered = kubectl.run ? await renderAll() : new Map<string, K8sObject[]>();
const renderedOf = (kustomization: string): K8sObject[] => {
  const list = rendered.get(kustomization);
  if (list === undefined) throw new Error(`${kustomization} was not rendered`);
  return list;
};

serviceTest(
  kubectl,
  "given base, dev and prod rendered by kustomize, when every object is validated against the Kubernetes schemas, then every one is valid",
  async () => {
    for (const kustomization of KUSTOMIZATIONS) {
      const list = renderedOf(kustomization);
      console.log(
        `  ${kustomization}: ${list.length} objects (${[...new Set(list.map((o) => o.kind))].join(", ")})`,
      );
      assert.equal(schemaFindings(list), [], kustomization);
    }
  },
);

serviceTest(
  kubectl,
  "given base, dev and prod rendered, when their keel containers are held against keel's configuration, then keys, secrets, probes, ports and grace periods agree",
  async () => {
    for (const kustomization of KUSTOMIZATIONS) {
      const containers = keelContainers(renderedOf(kustomization));
      assert.equal(containers.length, 3, kustomization);
      assert.equal(findings(containers), [], kustomization);
    }
  },
);

serviceTest(
  kubectl,
  "given each overlay's configuration with its secrets filled in, when keel loads it as it does at start-up, then keel accepts it, and refuses it with the development JWT secret",
  async () => {
    for (const overlay of KUSTOMIZATIONS.filter((k) => k.startsWith("overlays/"))) {
      for (const container of keelContainers(renderedOf(overlay))) {
        const env = plainEnv(container);
        assert.is(env.APP_ENV, "production", `${overlay} ${container.where}`);
        const accepted = keelAccepts(env);
        assert.ok(accepted.ok, `${overlay} ${container.where}: ${accepted.ok ? "" : accepted.issues}`);
        const refused = keelAccepts({ ...env, AUTH__JWT_SECRET: DEVELOPMENT_JWT_SECRET });
        assert.not.ok(refused.ok, `${overlay} ${container.where} accepted the development secret`);
        assert.match(refused.ok ? "" : refused.issues, /AUTH__JWT_SECRET/);
      }
    }
  },
);

serviceTest(
  kubectl,
  "given each rendering, then the Service, HPA, disruption budgets and network policies each select keel's pods, and generated names are followed",
  async () => {
    for (const kustomization of KUSTOMIZATIONS) {
      const list = renderedOf(kustomization);
      const pods = list
        .filter((o) => o.kind === "Deployment" || o.kind === "Job")
        .map((o) => ({
          name: o.metadata.name,
          labels: o.spec.template.metadata.labels as Record<string, string>,
        }));
      const selects = (selector: Record<string, string>) =>
        pods
          .filter((pod) => Object.entries(selector).every(([k, v]) => pod.labels[k] === v))
          .map((p) => p.name);
      const where = (o: K8sObject) => `${kustomization}: ${o.kind} ${o.metadata.name}`;
      for (const o of list) {
        if (o.kind === "Service") assert.equal(selects(o.spec.selector), ["keel-serve"], where(o));
        if (o.kind === "PodDisruptionBudget" || o.kind === "NetworkPolicy")
          assert.is(
            selects(o.spec.selector?.matchLabels ?? o.spec.podSelector.matchLabels).length,
            1,
            where(o),
          );
        if (o.kind === "Deployment")
          assert.equal(selects(o.spec.selector.matchLabels), [o.metadata.name], where(o));
        if (o.kind === "HorizontalPodAutoscaler") {
          assert.ok(
            list.some((d) => d.kind === "Deployment" && d.metadata.name === o.spec.scaleTargetRef.name),
            where(o),
          );
          assert.ok(
            !list.some((d) => d.metadata.name === "keel-serve" && d.kind === "Deployment" && d.spec.replicas),
          );
        }
      }
      // Every ConfigMap and Secret a container reads exists under its generated (hashed) name.
      const names = new Set(list.map((o) => `${o.kind}/${o.metadata.name}`));
      for (const o of list.filter((w) => w.kind === "Deployment" || w.kind === "Job"))
        for (const from of o.spec.template.spec.containers[0].envFrom) {
          const ref = from.configMapRef
            ? `ConfigMap/${from.configMapRef.name}`
            : `Secret/${from.secretRef.name}`;
          if (kustomization !== "base" || ref.startsWith("ConfigMap"))
            assert.ok(names.has(ref), `${where(o)} reads ${ref}`);
        }
    }
  },
);

serviceTest(
  kubectl,
  "given the prod overlay, then the image is pinned by digest and serve runs at least three pods",
  async () => {
    const list = renderedOf("overlays/prod");
    for (const workload of list.filter((o) => o.kind === "Deployment" || o.kind === "Job"))
      assert.match(workload.spec.template.spec.containers[0].image, /@sha256:[0-9a-f]{64}$/);
    const hpa = list.find((o) => o.kind === "HorizontalPodAutoscaler");
    assert.ok(hpa !== undefined && hpa.spec.minReplicas >= 3);
    const containers: KeelContainer[] = keelContainers(list);
    assert.ok(containers.every((c) => c.env.APP_ENV?.value === "production"));
  },
);

test.run();
