import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { parseAllDocuments } from "yaml";

export const DEPLOY_DIR = fileURLToPath(new URL("..", import.meta.url));
export const CHART_DIR = fileURLToPath(new URL("../helm/industrial-orchestrator", import.meta.url));
export const PLAIN_MANIFESTS_DIR = fileURLToPath(new URL("../kubernetes", import.meta.url));
/** The values the plain manifests in deploy/kubernetes are rendered with. */
export const PLAIN_VALUES = fileURLToPath(new URL("../helm/plain-manifests.values.yaml", import.meta.url));
/** The Kubernetes version the chart is rendered for (Capabilities.KubeVersion). */
export const KUBE_VERSION = "1.31.0";

/** One Kubernetes object as rendered (apiVersion, kind, metadata, …). */
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [key: string]: unknown;
}

export interface RenderOptions {
  release?: string;
  namespace?: string;
  /** Values files, in order (later wins), as `-f`. */
  values?: string[];
  /** `--set key=value` pairs. */
  set?: Record<string, string>;
  /** Extra `--api-versions` (e.g. monitoring.coreos.com/v1 for a ServiceMonitor). */
  apiVersions?: string[];
}

/** `helm template` of the chart: the YAML stream exactly as helm prints it. Throws with helm's message. */
export function renderChart(helm: string, options: RenderOptions = {}): string {
  const args = [
    "template",
    options.release ?? "orchestrator",
    CHART_DIR,
    "--namespace",
    options.namespace ?? "industrial-orchestrator",
    "--kube-version",
    KUBE_VERSION,
  ];
  for (const f of options.values ?? []) args.push("--values", f);
  for (const [k, v] of Object.entries(options.set ?? {})) args.push("--set", `${k}=${v}`);
  for (const a of options.apiVersions ?? []) args.push("--api-versions", a);
  try {
    return execFileSync(helm, args, {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
      maxBuffer: 32 * 1024 * 1024,
    });
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    throw new Error(`helm ${args.join(" ")} failed: ${err.stderr?.trim() || err.message}`, { cause: e });
  }
}

/** `helm lint --strict` of the chart with the given values files; returns helm's output, throws when it fails. */
export function lintChart(helm: string, values: string[] = []): string {
  const args = [
    "lint",
    CHART_DIR,
    "--strict",
    "--kube-version",
    KUBE_VERSION,
    ...values.flatMap((f) => ["--values", f]),
  ];
  try {
    return execFileSync(helm, args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string; message: string };
    throw new Error(`helm ${args.join(" ")} failed:\n${err.stdout ?? ""}${err.stderr ?? err.message}`, { cause: e });
  }
}

/** The objects of a YAML stream (empty documents dropped); a document that does not parse throws. */
export function parseManifests(text: string, source = "manifest"): K8sObject[] {
  const objects: K8sObject[] = [];
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length) throw new Error(`${source}: ${doc.errors.map((e) => e.message).join("; ")}`);
    const value: unknown = doc.toJS();
    if (value === null || value === undefined) continue;
    if (typeof value !== "object" || Array.isArray(value)) throw new Error(`${source}: a document is not an object`);
    objects.push(value as K8sObject);
  }
  return objects;
}

/** Where each template's objects go among the plain manifests: applied in file-name order. */
const PLAIN_FILE_ORDER: Record<string, string> = {
  "namespace.yaml": "00-namespace.yaml",
  "configmap.yaml": "10-configmap.yaml",
  "secret.yaml": "11-secret.yaml",
  "sandbox.yaml": "12-sandbox.yaml",
  "postgresql.yaml": "20-postgresql.yaml",
  "redis.yaml": "21-redis.yaml",
  "git-server.yaml": "22-git-server.yaml",
  "orchestrator-deployment.yaml": "30-orchestrator-deployment.yaml",
  "dashboard-deployment.yaml": "31-dashboard-deployment.yaml",
  "runner-pods.yaml": "32-runner-pods.yaml",
  "services.yaml": "40-services.yaml",
  "ingress.yaml": "50-ingress.yaml",
  "hpa.yaml": "60-hpa.yaml",
  "pdb.yaml": "61-pdb.yaml",
  "networkpolicy.yaml": "70-networkpolicy.yaml",
  "servicemonitor.yaml": "80-servicemonitor.yaml",
};

export const PLAIN_HEADER =
  "# Generated from the Helm chart (deploy/helm/industrial-orchestrator) with\n" +
  "# deploy/helm/plain-manifests.values.yaml by `npx tsx deploy/tools/render-manifests.ts`.\n" +
  "# Edit the chart or those values and regenerate: a test fails when this file drifts.\n";

/** The plain manifests: the chart rendered with PLAIN_VALUES, one file per template. */
export function plainManifestFiles(helm: string): Map<string, string> {
  const stream = renderChart(helm, {
    release: "orchestrator",
    namespace: "industrial-orchestrator",
    values: [PLAIN_VALUES],
  });
  const byFile = new Map<string, string[]>();
  // helm prefixes each document with `# Source: <chart>/templates/<file>`.
  for (const doc of stream.split(/^---\s*$/m)) {
    const source = /^# Source: [^/]+\/templates\/(.+)$/m.exec(doc)?.[1];
    if (!source || !doc.replace(/^#.*$/gm, "").trim()) continue;
    const file = PLAIN_FILE_ORDER[source];
    if (!file)
      throw new Error(
        `template ${source} has no place among the plain manifests (PLAIN_FILE_ORDER in deploy/tools/chart.ts)`,
      );
    const body = doc.replace(/^# Source: .*\n/m, "").trim();
    byFile.set(file, [...(byFile.get(file) ?? []), body]);
  }
  return new Map(
    [...byFile]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([file, docs]) => [file, `${PLAIN_HEADER}${docs.map((d) => `---\n${d}\n`).join("")}`]),
  );
}
