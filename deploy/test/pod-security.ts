import type { K8sObject } from "../tools/chart";

/**
 * What Kubernetes checks of a pod beyond its OpenAPI schema, for the fields
 * the sandbox settings touch, as plain functions of a rendered object:
 *
 * - `podSecurityViolations`: the Pod Security Standards (the "baseline" and
 *   "restricted" levels Pod Security Admission enforces per namespace),
 *   each violation named by its control;
 * - `apiServerProblems`: validation rules of the API server that the schemas
 *   cannot express (a Localhost profile names its file, and only then;
 *   `procMount: Unmasked` only with `hostUsers: false`).
 *
 * Written from the Pod Security Standards page and the API reference; not a
 * cluster's admission, which no test here can run.
 */

/* eslint-disable @typescript-eslint/no-explicit-any -- rendered objects are untyped YAML */
type Pod = any;

/** The pod spec of a workload (Deployment, StatefulSet, DaemonSet, Job, CronJob). */
export function podSpecOf(workload: K8sObject): Pod {
  const spec = (workload as any).spec;
  return workload.kind === "CronJob" ? spec.jobTemplate.spec.template.spec : spec.template.spec;
}

const BASELINE_CAPABILITIES = new Set([
  "AUDIT_WRITE",
  "CHOWN",
  "DAC_OVERRIDE",
  "FOWNER",
  "FSETID",
  "KILL",
  "MKNOD",
  "NET_BIND_SERVICE",
  "SETFCAP",
  "SETGID",
  "SETPCAP",
  "SETUID",
  "SYS_CHROOT",
]);
const SAFE_SYSCTLS = new Set([
  "kernel.shm_rmid_forced",
  "net.ipv4.ip_local_port_range",
  "net.ipv4.ip_unprivileged_port_start",
  "net.ipv4.tcp_syncookies",
  "net.ipv4.ping_group_range",
  "net.ipv4.ip_local_reserved_ports",
  "net.ipv4.tcp_keepalive_time",
  "net.ipv4.tcp_fin_timeout",
  "net.ipv4.tcp_keepalive_intvl",
  "net.ipv4.tcp_keepalive_probes",
]);
const RESTRICTED_VOLUMES = [
  "configMap",
  "csi",
  "downwardAPI",
  "emptyDir",
  "ephemeral",
  "persistentVolumeClaim",
  "projected",
  "secret",
];

export interface Violation {
  level: "baseline" | "restricted";
  control: string;
  where: string;
}

/** Every violation of the Pod Security Standards by a pod spec, "baseline" ones first; [] when it meets "restricted". */
export function podSecurityViolations(pod: Pod): Violation[] {
  const out: Violation[] = [];
  const add = (level: Violation["level"], control: string, where: string) => out.push({ level, control, where });
  const all = [...(pod.initContainers ?? []), ...(pod.containers ?? [])] as Pod[];
  const psc = pod.securityContext ?? {};

  // baseline
  for (const f of ["hostNetwork", "hostPID", "hostIPC"]) if (pod[f]) add("baseline", "hostNamespaces", f);
  for (const v of pod.volumes ?? []) if (v.hostPath) add("baseline", "hostPathVolumes", v.name);
  for (const s of psc.sysctls ?? []) if (!SAFE_SYSCTLS.has(s.name)) add("baseline", "sysctls", s.name);
  if (psc.appArmorProfile?.type === "Unconfined") add("baseline", "appArmorProfile", "pod");
  if (psc.seccompProfile?.type === "Unconfined") add("baseline", "seccompProfile", "pod");
  for (const c of all) {
    const sc = c.securityContext ?? {};
    if (sc.privileged) add("baseline", "privileged", c.name);
    for (const cap of sc.capabilities?.add ?? [])
      if (!BASELINE_CAPABILITIES.has(cap)) add("baseline", "capabilities", `${c.name}: ${cap}`);
    for (const p of c.ports ?? []) if (p.hostPort) add("baseline", "hostPorts", `${c.name}: ${p.hostPort}`);
    if (sc.appArmorProfile?.type === "Unconfined") add("baseline", "appArmorProfile", c.name);
    if (sc.procMount && sc.procMount !== "Default") add("baseline", "procMount", c.name);
    if (sc.seccompProfile?.type === "Unconfined") add("baseline", "seccompProfile", c.name);
  }
  for (const [k, v] of Object.entries((pod.metadata?.annotations ?? {}) as Record<string, string>))
    if (k.startsWith("container.apparmor.security.beta.kubernetes.io/") && v === "unconfined")
      add("baseline", "appArmorProfile", k);

  // restricted
  for (const v of pod.volumes ?? []) {
    const kind = Object.keys(v).find((k) => k !== "name");
    if (!kind || !RESTRICTED_VOLUMES.includes(kind)) add("restricted", "volumeTypes", `${v.name}: ${kind}`);
  }
  const seccompTypes = ["RuntimeDefault", "Localhost"];
  for (const c of all) {
    const sc = c.securityContext ?? {};
    if (sc.allowPrivilegeEscalation !== false) add("restricted", "allowPrivilegeEscalation", c.name);
    if ((sc.runAsNonRoot ?? psc.runAsNonRoot) !== true) add("restricted", "runAsNonRoot", c.name);
    if ((sc.runAsUser ?? psc.runAsUser) === 0) add("restricted", "runAsUser", c.name);
    if (!seccompTypes.includes(sc.seccompProfile?.type ?? psc.seccompProfile?.type))
      add("restricted", "seccompProfile", c.name);
    if (!(sc.capabilities?.drop ?? []).includes("ALL")) add("restricted", "capabilities", `${c.name}: drop ALL`);
    for (const cap of sc.capabilities?.add ?? [])
      if (cap !== "NET_BIND_SERVICE") add("restricted", "capabilities", `${c.name}: ${cap}`);
  }
  return out.sort((a, b) => (a.level === b.level ? 0 : a.level === "baseline" ? -1 : 1));
}

/** The highest Pod Security level a pod spec meets. */
export function podSecurityLevel(pod: Pod): "restricted" | "baseline" | "privileged" {
  const v = podSecurityViolations(pod);
  return v.some((x) => x.level === "baseline") ? "privileged" : v.length ? "baseline" : "restricted";
}

/** The API server's rules on these fields that the OpenAPI schemas do not carry. */
export function apiServerProblems(pod: Pod, where: string): string[] {
  const p: string[] = [];
  const profiles = (sc: Pod, at: string) => {
    for (const field of ["seccompProfile", "appArmorProfile"]) {
      const prof = sc?.[field];
      if (!prof) continue;
      if (prof.type === "Localhost" && !prof.localhostProfile)
        p.push(`${at}.${field}: type Localhost needs localhostProfile`);
      if (prof.type !== "Localhost" && prof.localhostProfile !== undefined)
        p.push(`${at}.${field}: localhostProfile only with type Localhost`);
      if (
        field === "seccompProfile" &&
        prof.localhostProfile &&
        (prof.localhostProfile.startsWith("/") || prof.localhostProfile.split("/").includes(".."))
      )
        p.push(`${at}.${field}: localhostProfile must be a relative path without ..`);
    }
  };
  profiles(pod.securityContext, `${where} pod`);
  for (const c of [...(pod.initContainers ?? []), ...(pod.containers ?? [])]) {
    profiles(c.securityContext, `${where} ${c.name}`);
    if (c.securityContext?.procMount === "Unmasked" && pod.hostUsers !== false)
      p.push(`${where} ${c.name}: procMount Unmasked needs hostUsers: false`);
  }
  if (pod.hostUsers === false && (pod.hostNetwork || pod.hostPID || pod.hostIPC))
    p.push(`${where}: hostUsers false cannot share the host's namespaces`);
  return p;
}
