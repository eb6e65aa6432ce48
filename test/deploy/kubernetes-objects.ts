/**
 * deploy/k8s as Kubernetes sees it: each kustomization rendered by `kubectl kustomize` (kustomize
 * v5, built into kubectl, no cluster needed), every object validated against the Kubernetes API
 * schemas by kubernetes-models, and keel's containers read into the shape the deployment checks take.
 */
import { execFile } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import * as models from "kubernetes-models";
import { parseAllDocuments } from "yaml";
import { ROOT } from "../support/child-process.js";
import { decide, type ServiceDecision } from "../support/services.js";
import type { EnvValue, KeelContainer, Probe } from "./keel-containers.js";

const run = promisify(execFile);

export const K8S_DIR = join(ROOT, "deploy/k8s");
export const KUSTOMIZATIONS = ["base", "overlays/dev", "overlays/prod"] as const;

export type K8sObject = {
  apiVersion: string;
  kind: string;
  metadata: { name: string };
  // biome-ignore lint/suspicious/noExplicitAny: manifests are read field by field
  [field: string]: any;
};

/** Whether kubectl (with its built-in kustomize) is here: skipped locally without it, required under CI. */
export function kubectlDecision(): Promise<ServiceDecision> {
  return decide("kubectl kustomize", async () => {
    await run("kubectl", ["kustomize", "--help"]);
  });
}

/** A value for each secret an overlay's secrets.env.example leaves empty, so the overlay renders. */
const TEST_SECRETS: Readonly<Record<string, string>> = {
  AUTH__JWT_SECRET: "deploy-test-only-jwt-secret-0123456789abcdef",
};

/**
 * Renders each kustomization of a copy of deploy/k8s, whose overlays get a secrets.env made from
 * their committed example (the real one is never committed).
 */
export async function renderAll(): Promise<Map<string, K8sObject[]>> {
  const copy = mkdtempSync(join(tmpdir(), "keel-k8s-"));
  try {
    cpSync(K8S_DIR, copy, { recursive: true });
    for (const overlay of KUSTOMIZATIONS.filter((k) => k.startsWith("overlays/"))) {
      const example = readFileSync(join(copy, overlay, "secrets.env.example"), "utf8");
      const filled = example.replace(/^([A-Z0-9_]+)=$/gm, (line, key: string) =>
        TEST_SECRETS[key] === undefined ? line : `${key}=${TEST_SECRETS[key]}`,
      );
      writeFileSync(join(copy, overlay, "secrets.env"), filled);
    }
    const rendered = new Map<string, K8sObject[]>();
    for (const kustomization of KUSTOMIZATIONS) {
      const { stdout } = await run("kubectl", ["kustomize", join(copy, kustomization)]);
      rendered.set(kustomization, objects(stdout));
    }
    return rendered;
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
}

export function objects(text: string): K8sObject[] {
  return parseAllDocuments(text).flatMap((doc) => {
    if (doc.errors.length > 0) throw new Error(doc.errors.map((e) => e.message).join("\n"));
    const value = doc.toJS() as K8sObject | null;
    return value === null ? [] : [unwrapped(value)];
  });
}

/**
 * kustomize wraps a long Secret value's base64 over several lines; the API server's decoder (Go's
 * encoding/base64) ignores line breaks, kubernetes-models' "byte" format does not: joined here.
 */
function unwrapped(object: K8sObject): K8sObject {
  if (object.kind !== "Secret" || object.data === undefined) return object;
  const data = Object.fromEntries(
    Object.entries(object.data as Record<string, string>).map(([key, value]) => [
      key,
      value.replace(/\s+/g, ""),
    ]),
  );
  return { ...object, data };
}

/** "apps/v1" Deployment → kubernetes-models' apps.v1.Deployment; "v1" ConfigMap → v1.ConfigMap. */
function modelOf(object: K8sObject): (new (data: unknown) => { validate(): void }) | undefined {
  const [group, version] = object.apiVersion.includes("/")
    ? object.apiVersion.split("/")
    : ["", object.apiVersion];
  const namespace =
    group === ""
      ? models
      : (models as unknown as Record<string, unknown>)[
          (group ?? "").replace(/[.-]([a-z0-9])/g, (_, c: string) => c.toUpperCase())
        ];
  const byVersion = (namespace as Record<string, Record<string, unknown>> | undefined)?.[version ?? ""];
  return byVersion?.[object.kind] as (new (data: unknown) => { validate(): void }) | undefined;
}

/** Schema violations of each object: "Deployment keel-serve: data/spec/... must be integer". */
export function schemaFindings(list: readonly K8sObject[]): string[] {
  return list.flatMap((object) => {
    const name = `${object.kind} ${object.metadata?.name}`;
    const Model = modelOf(object);
    if (Model === undefined) return [`${name}: no Kubernetes schema for ${object.apiVersion} ${object.kind}`];
    try {
      new Model(object).validate();
      return [];
    } catch (error) {
      return [`${name}: ${error instanceof Error ? error.message : String(error)}`];
    }
  });
}

/** keel's containers in the rendered objects: those of every Deployment and Job. */
export function keelContainers(list: readonly K8sObject[]): KeelContainer[] {
  const configMaps = new Map(list.filter((o) => o.kind === "ConfigMap").map((o) => [o.metadata.name, o]));
  const secrets = new Map(list.filter((o) => o.kind === "Secret").map((o) => [o.metadata.name, o]));
  return list
    .filter((o) => o.kind === "Deployment" || o.kind === "Job")
    .flatMap((workload) => {
      const pod = workload.spec.template.spec;
      // biome-ignore lint/suspicious/noExplicitAny: a container spec, read field by field
      return (pod.containers as any[]).map((container): KeelContainer => {
        const env: Record<string, EnvValue> = {};
        for (const from of container.envFrom ?? []) {
          if (from.configMapRef !== undefined) {
            const data = configMaps.get(from.configMapRef.name)?.data ?? {};
            for (const [key, value] of Object.entries(data))
              env[key] = { value: String(value), source: "config" };
          }
          if (from.secretRef !== undefined) {
            const secret = secrets.get(from.secretRef.name);
            for (const [key, value] of Object.entries(secret?.data ?? {}))
              env[key] = { value: Buffer.from(String(value), "base64").toString(), source: "secret" };
            for (const [key, value] of Object.entries(secret?.stringData ?? {}))
              env[key] = { value: String(value), source: "secret" };
          }
        }
        for (const variable of container.env ?? []) {
          env[variable.name] =
            variable.valueFrom === undefined
              ? { value: String(variable.value ?? ""), source: "literal" }
              : { value: "", source: variable.valueFrom.secretKeyRef ? "secret" : "config" };
        }
        // biome-ignore lint/suspicious/noExplicitAny: a port spec
        const ports = (container.ports ?? []) as any[];
        const portNumber = (port: string | number) =>
          typeof port === "number" ? port : Number(ports.find((p) => p.name === port)?.containerPort);
        const probes: Probe[] = (["startup", "liveness", "readiness"] as const).flatMap((kind) => {
          const probe = container[`${kind}Probe`];
          return probe?.httpGet === undefined
            ? []
            : [{ kind, path: probe.httpGet.path, port: portNumber(probe.httpGet.port) }];
        });
        return {
          where: `${workload.kind} ${workload.metadata.name}`,
          command: (container.args ?? ["serve"])[0],
          env,
          ports: ports.map((p) => Number(p.containerPort)),
          probes,
          graceSeconds: workload.kind === "Job" ? undefined : pod.terminationGracePeriodSeconds,
        };
      });
    });
}
