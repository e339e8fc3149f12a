import type { K8sObject } from "../tools/chart";

/**
 * The environment a container of a rendered stack sees, as Kubernetes builds
 * it: `envFrom` first (later sources win), then `env` (which wins over
 * `envFrom`), `$(VAR)` in a value expanded from the variables defined before
 * it. Each variable says where it came from, so tests can ask "from a
 * Secret?" as well as "which value?".
 */

/** A Secret or ConfigMap reference: the object's name and the key. */
export interface KeyRef {
  name: string;
  key: string;
}

export interface EnvVar {
  /** What the container sees; undefined when it comes from an object not rendered here (an existing Secret) or from the pod's fields. */
  value: string | undefined;
  source: "literal" | "configMap" | "secret" | "field";
  /** The Secret or ConfigMap key it was read from. */
  ref?: KeyRef;
  /** The variables a literal value expanded ($(VAR)). */
  expands?: string[];
}

export interface ContainerEnv {
  vars: Map<string, EnvVar>;
  /** Secrets passed whole (envFrom) that are not among the rendered objects: their keys are unknown here. */
  opaqueSecrets: string[];
}

/* eslint-disable @typescript-eslint/no-explicit-any -- rendered objects are untyped YAML */
type Container = { env?: any[]; envFrom?: any[]; volumeMounts?: any[] };

/** A Secret's keys and values, `data` decoded and `stringData` over it (as the API server merges them). */
export function secretData(secret: K8sObject): Record<string, string> {
  const data = Object.fromEntries(
    Object.entries((secret.data as Record<string, string> | undefined) ?? {}).map(([k, v]) => [
      k,
      Buffer.from(v, "base64").toString("utf8"),
    ]),
  );
  return { ...data, ...((secret.stringData as Record<string, string> | undefined) ?? {}) };
}

function lookup(objs: K8sObject[], kind: "Secret" | "ConfigMap", name: string): Record<string, string> | undefined {
  const obj = objs.find((o) => o.kind === kind && o.metadata.name === name);
  if (!obj) return undefined;
  return kind === "Secret" ? secretData(obj) : ((obj.data as Record<string, string> | undefined) ?? {});
}

export function containerEnv(objs: K8sObject[], container: Container): ContainerEnv {
  const vars = new Map<string, EnvVar>();
  const opaqueSecrets: string[] = [];
  for (const from of container.envFrom ?? []) {
    const kind = from.secretRef ? "Secret" : "ConfigMap";
    const name: string = (from.secretRef ?? from.configMapRef).name;
    const data = lookup(objs, kind, name);
    if (!data) {
      if (kind === "Secret") opaqueSecrets.push(name);
      continue;
    }
    for (const [key, value] of Object.entries(data))
      vars.set(`${from.prefix ?? ""}${key}`, {
        value,
        source: kind === "Secret" ? "secret" : "configMap",
        ref: { name, key },
      });
  }
  for (const e of container.env ?? []) {
    if (e.value !== undefined) {
      const expands: string[] = [];
      const value = String(e.value).replace(/\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (whole, ref: string) => {
        const known = vars.get(ref);
        if (!known) return whole;
        expands.push(ref);
        return known.value ?? whole;
      });
      vars.set(e.name, { value, source: "literal", expands });
    } else if (e.valueFrom?.secretKeyRef || e.valueFrom?.configMapKeyRef) {
      const secret = Boolean(e.valueFrom.secretKeyRef);
      const ref: KeyRef = {
        name: (e.valueFrom.secretKeyRef ?? e.valueFrom.configMapKeyRef).name,
        key: (e.valueFrom.secretKeyRef ?? e.valueFrom.configMapKeyRef).key,
      };
      vars.set(e.name, {
        value: lookup(objs, secret ? "Secret" : "ConfigMap", ref.name)?.[ref.key],
        source: secret ? "secret" : "configMap",
        ref,
      });
    } else vars.set(e.name, { value: undefined, source: "field" });
  }
  return { vars, opaqueSecrets };
}

/** Every container (init containers too) of every workload, with its workload. */
export function containers(
  objs: K8sObject[],
): { workload: K8sObject; container: Container & { name: string; args?: string[]; command?: string[] } }[] {
  return objs
    .filter((o) => ["Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob"].includes(o.kind))
    .flatMap((w) => {
      const spec = (w as any).spec;
      const pod = w.kind === "CronJob" ? spec.jobTemplate.spec.template.spec : spec.template.spec;
      return [...(pod.initContainers ?? []), ...pod.containers].map((container: any) => ({ workload: w, container }));
    });
}

/** Where a file a container sees comes from: the Secret or ConfigMap key behind it, or the kind of volume. */
export interface FileSource {
  volume: string;
  kind: "secret" | "configMap" | "emptyDir" | "persistentVolumeClaim" | "other";
  /** For a Secret or ConfigMap: the object and the key projected at that path. */
  ref?: KeyRef;
  /** The file's mode as Kubernetes writes it (the item's, else the volume's default). */
  mode?: number;
  readOnly: boolean;
}

/**
 * The source of `path` in a container of `workload`: the volume mounted at
 * the longest prefix of it, and for Secret, ConfigMap and projected volumes
 * the key projected at the rest of the path. undefined when nothing is
 * mounted there, or the volume projects nothing at that path.
 */
export function fileSource(
  workload: K8sObject,
  container: { volumeMounts?: any[] },
  path: string,
): FileSource | undefined {
  const mounts = (
    (container.volumeMounts ?? []) as { name: string; mountPath: string; readOnly?: boolean; subPath?: string }[]
  )
    .filter((m) => path === m.mountPath || path.startsWith(`${m.mountPath.replace(/\/$/, "")}/`))
    .sort((a, b) => b.mountPath.length - a.mountPath.length);
  const mount = mounts[0];
  if (!mount) return undefined;
  const spec = (workload as any).spec;
  const pod = workload.kind === "CronJob" ? spec.jobTemplate.spec.template.spec : spec.template.spec;
  const volume = (pod.volumes ?? []).find((v: any) => v.name === mount.name);
  if (!volume) return undefined;
  const rest = path.slice(mount.mountPath.length).replace(/^\//, "");
  const base = { volume: mount.name, readOnly: mount.readOnly === true };
  const pick = (kind: "secret" | "configMap", src: any, defaultMode: number | undefined): FileSource | undefined => {
    const name: string = kind === "secret" ? (src.secretName ?? src.name) : src.name;
    const item = (src.items as { key: string; path: string; mode?: number }[] | undefined)?.find(
      (i) => i.path === rest,
    );
    if (src.items && !item) return undefined;
    return { ...base, kind, ref: { name, key: item?.key ?? rest }, mode: item?.mode ?? defaultMode };
  };
  if (volume.secret) return pick("secret", volume.secret, volume.secret.defaultMode);
  if (volume.configMap) return pick("configMap", volume.configMap, volume.configMap.defaultMode);
  if (volume.projected)
    for (const s of volume.projected.sources ?? []) {
      const found = s.secret
        ? pick("secret", s.secret, volume.projected.defaultMode)
        : s.configMap
          ? pick("configMap", s.configMap, volume.projected.defaultMode)
          : undefined;
      if (found) return found;
    }
  if (volume.projected) return undefined;
  return {
    ...base,
    kind: volume.emptyDir ? "emptyDir" : volume.persistentVolumeClaim ? "persistentVolumeClaim" : "other",
  };
}
