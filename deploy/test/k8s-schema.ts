import type { K8sObject } from "../tools/chart";

/**
 * Validates objects against the Kubernetes OpenAPI schemas, through the
 * models of `kubernetes-models` (core APIs) and
 * `@kubernetes-models/prometheus-operator` (ServiceMonitor): each model's
 * `validate()` runs the schema of its kind (required fields, types, enums,
 * formats) and throws naming the path.
 *
 * Only API versions a current cluster (≥ 1.25) serves are accepted: an object
 * of any other apiVersion, or a kind the version does not have, is an error,
 * never skipped.
 */
const MODULES: Record<string, () => Promise<Record<string, unknown>>> = {
  v1: () => import("kubernetes-models/v1"),
  "apps/v1": () => import("kubernetes-models/apps/v1"),
  "networking.k8s.io/v1": () => import("kubernetes-models/networking.k8s.io/v1"),
  "policy/v1": () => import("kubernetes-models/policy/v1"),
  "autoscaling/v2": () => import("kubernetes-models/autoscaling/v2"),
  "monitoring.coreos.com/v1": () => import("@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1"),
};

interface Model {
  validate(): void;
}

/** The schema problems of one object ([] when valid). */
export async function validateK8sObject(obj: K8sObject): Promise<string[]> {
  const where = `${obj.apiVersion}/${obj.kind} ${obj.metadata?.name ?? "(no name)"}`;
  const load = MODULES[obj.apiVersion];
  if (!load)
    return [
      `${where}: apiVersion ${obj.apiVersion} is not one this stack may use (${Object.keys(MODULES).join(", ")})`,
    ];
  const Model = (await load())[obj.kind] as (new (data: unknown) => Model) | undefined;
  if (typeof Model !== "function") return [`${where}: ${obj.apiVersion} has no kind ${obj.kind}`];
  if (!obj.metadata?.name) return [`${where}: metadata.name is required`];
  try {
    new Model(obj).validate();
    return [];
  } catch (e) {
    return [`${where}: ${e instanceof Error ? e.message : String(e)}`];
  }
}

/** The schema problems of every object, all at once. */
export async function validateK8sObjects(objects: K8sObject[]): Promise<string[]> {
  return (await Promise.all(objects.map(validateK8sObject))).flat();
}
