// Rendered manifests are untyped JSON (kubernetes-models types only what it validates), so
// this file reads them as \`any\`.
/* eslint-disable @typescript-eslint/no-explicit-any */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { LEASE_SECONDS } from "@industrial/core";
import { routes } from "@industrial/contracts";
import type { K8sObject } from "../tools/chart";
import { imageDirectories, parseDeployedConfig } from "./deployed-config";
import { containerEnv } from "./pod-env";

/**
 * What operations.md and issue 6 ask of a rendered stack, checked on the
 * objects themselves. Each check returns its problems ([] when fine), so a
 * test reports all of them at once.
 */

type Obj = K8sObject & { spec?: any; data?: Record<string, string> };

const component = (o: Obj) => o.metadata.labels?.["app.kubernetes.io/component"];
export const find = (objs: Obj[], kind: string, comp?: string) =>
  objs.filter((o) => o.kind === kind && (comp === undefined || component(o) === comp));

/** The settings apps/server/src/config.ts reads (the keys of its schema). */
export function configKeys(): Set<string> {
  const src = readFileSync(fileURLToPath(new URL("../../apps/server/src/config.ts", import.meta.url)), "utf8");
  const start = src.indexOf("const ConfigSchema = z.object({");
  // The object ends at the first `});` in column 0; nested ones are indented.
  const end = src.slice(start).search(/^\}\);/m);
  const schema = src.slice(start, start + end);
  return new Set([...schema.matchAll(/^\s{2}([A-Z][A-Z0-9_]+):/gm)].map((m) => m[1]!));
}

/** The WebSocket endpoint paths the server registers (apps/server/src/ws/routes.ts). */
export function wsPaths(): string[] {
  const src = readFileSync(fileURLToPath(new URL("../../apps/server/src/ws/routes.ts", import.meta.url)), "utf8");
  return [...src.matchAll(/path: "(\/ws[^"]*)"/g)].map((m) => m[1]!);
}

const matches = (selector: Record<string, string> = {}, labels: Record<string, string> = {}) =>
  Object.keys(selector).length > 0 && Object.entries(selector).every(([k, v]) => labels[k] === v);

/** CPU in cores and memory in bytes from a Kubernetes quantity. */
export function quantity(q: string | number): number {
  const m = /^([0-9.]+)(m|Ki|Mi|Gi|Ti|k|M|G|T)?$/.exec(String(q));
  if (!m) throw new Error(`not a quantity: ${q}`);
  const units: Record<string, number> = {
    m: 1e-3,
    Ki: 2 ** 10,
    Mi: 2 ** 20,
    Gi: 2 ** 30,
    Ti: 2 ** 40,
    k: 1e3,
    M: 1e6,
    G: 1e9,
    T: 1e12,
  };
  return Number(m[1]) * (m[2] ? units[m[2]]! : 1);
}

/** The orchestrator Deployment: replicas, spreading, rollout, probes, security, resources, grace period. */
export function checkOrchestrator(objs: Obj[]): string[] {
  const p: string[] = [];
  const [deploy, ...more] = find(objs, "Deployment", "orchestrator");
  if (!deploy || more.length) return [`expected one orchestrator Deployment, found ${more.length + (deploy ? 1 : 0)}`];
  const spec = deploy.spec;
  const pod = spec.template.spec;
  const hpa = find(objs, "HorizontalPodAutoscaler").find((h) => h.spec.scaleTargetRef.name === deploy.metadata.name);
  const replicas = hpa ? hpa.spec.minReplicas : spec.replicas;
  if (!(replicas >= 2)) p.push(`orchestrator replicas ${replicas} < 2`);
  if (hpa && spec.replicas !== undefined) p.push("orchestrator Deployment sets replicas while an HPA scales it");
  if (spec.strategy?.type !== "RollingUpdate" || spec.strategy.rollingUpdate?.maxUnavailable !== 0)
    p.push("orchestrator rollout is not RollingUpdate with maxUnavailable 0");
  const anti = pod.affinity?.podAntiAffinity;
  const terms = [
    ...(anti?.requiredDuringSchedulingIgnoredDuringExecution ?? []),
    ...(anti?.preferredDuringSchedulingIgnoredDuringExecution ?? []).map((t: any) => t.podAffinityTerm),
  ];
  if (
    !terms.some(
      (t) =>
        t.topologyKey === "kubernetes.io/hostname" &&
        matches(t.labelSelector?.matchLabels, spec.template.metadata.labels),
    )
  )
    p.push("orchestrator has no pod anti-affinity over kubernetes.io/hostname selecting its own pods");
  if (!(pod.terminationGracePeriodSeconds > LEASE_SECONDS))
    p.push(
      `terminationGracePeriodSeconds ${pod.terminationGracePeriodSeconds} is not longer than the ${LEASE_SECONDS} s lease`,
    );
  const c = pod.containers.find((x: any) => x.name === "orchestrator");
  // The kubelet counts the grace period from the preStop hook on; the server must be out before the kill.
  const preStop = c.lifecycle?.preStop?.exec?.command;
  const preStopSeconds = preStop?.[0] === "sleep" ? Number(preStop[1]) : 0;
  const port = (name: string | number) =>
    typeof name === "number" ? name : c.ports.find((x: any) => x.name === name)?.containerPort;
  if (c.readinessProbe?.httpGet?.path !== routes.ready.path || port(c.readinessProbe.httpGet.port) !== 8000)
    p.push("readiness probe is not GET /health/ready on port 8000");
  if (c.livenessProbe?.httpGet?.path !== routes.health.path || port(c.livenessProbe.httpGet.port) !== 8000)
    p.push("liveness probe is not GET /health on port 8000");
  const envFrom: string[] = (c.envFrom ?? []).map((e: any) => e.configMapRef?.name ?? e.secretRef?.name);
  const cm = find(objs, "ConfigMap").find((x) => envFrom.includes(x.metadata.name));
  if (!cm) p.push("the orchestrator reads no rendered ConfigMap");
  else {
    const known = configKeys();
    const unknown = Object.keys(cm.data ?? {}).filter((k) => !known.has(k));
    if (unknown.length) p.push(`ConfigMap keys config.ts does not read: ${unknown.join(", ")}`);
    const parsed = parseDeployedConfig(filledEnv(objs, c), [
      ...imageDirectories(),
      ...(c.volumeMounts ?? []).map((m: any) => m.mountPath),
    ]);
    if (!parsed.ok) p.push(`the orchestrator's environment does not parse: ${parsed.errors.join("; ")}`);
    else {
      if (parsed.config.HOST !== "0.0.0.0" || parsed.config.PORT !== 8000)
        p.push("ConfigMap must listen on 0.0.0.0:8000");
      const bound = parsed.config.ORCHESTRATOR_SHUTDOWN_GRACE_SECONDS;
      if (!(preStopSeconds + bound < pod.terminationGracePeriodSeconds))
        p.push(
          `the server may take ${bound} s to stop after a ${preStopSeconds} s preStop: not within terminationGracePeriodSeconds ${pod.terminationGracePeriodSeconds}`,
        );
    }
  }
  if (!c.envFrom?.some((e: any) => e.secretRef?.name)) p.push("the orchestrator reads no Secret");
  return p;
}

/**
 * The environment an orchestrator container starts with once its Secrets are
 * filled in: a value from a Secret that is empty here (the plain manifests'
 * placeholders) or not rendered (auth.existingSecret) gets a sample of the
 * right shape.
 */
export function filledEnv(
  objs: Obj[],
  container: { env?: unknown[]; envFrom?: unknown[] },
): Record<string, string | undefined> {
  const { vars, opaqueSecrets } = containerEnv(objs, container);
  const sample = "s".repeat(48);
  const env = Object.fromEntries(
    [...vars].map(([k, v]) => [
      k,
      v.source === "secret" && !v.value ? sample : v.value?.replace(/\$\([A-Z_]+\)/g, sample),
    ]),
  );
  if (opaqueSecrets.length && !env.DATABASE_URL)
    env.DATABASE_URL = "postgres://orchestrator:sample@db:5432/orchestrator";
  return env;
}

/** Every workload: non-root, no privilege escalation, requests and limits on every container. */
export function checkWorkloads(objs: Obj[]): string[] {
  const p: string[] = [];
  for (const w of [...find(objs, "Deployment"), ...find(objs, "StatefulSet")]) {
    const pod = w.spec.template.spec;
    const name = `${w.kind} ${w.metadata.name}`;
    if (pod.securityContext?.runAsNonRoot !== true || !(pod.securityContext?.runAsUser > 0))
      p.push(`${name}: pod does not run as a non-root uid`);
    // Pod Security Admission "restricted" (the namespace enforces it): seccomp and no host namespaces.
    if (pod.securityContext?.seccompProfile?.type !== "RuntimeDefault")
      p.push(`${name}: no RuntimeDefault seccomp profile`);
    if (pod.hostNetwork || pod.hostPID || pod.hostIPC || pod.volumes?.some((v: any) => v.hostPath))
      p.push(`${name}: uses the host's namespaces or paths`);
    if (!matches(w.spec.selector.matchLabels, w.spec.template.metadata.labels))
      p.push(`${name}: selector does not match its pods`);
    for (const c of pod.containers) {
      if (c.securityContext?.allowPrivilegeEscalation !== false)
        p.push(`${name}/${c.name}: allowPrivilegeEscalation is not false`);
      if (!c.securityContext?.capabilities?.drop?.includes("ALL"))
        p.push(`${name}/${c.name}: capabilities not dropped`);
      for (const k of ["requests", "limits"])
        for (const r of ["cpu", "memory"]) if (!c.resources?.[k]?.[r]) p.push(`${name}/${c.name}: no ${k}.${r}`);
      if (!c.readinessProbe || !c.livenessProbe) p.push(`${name}/${c.name}: missing readiness or liveness probe`);
    }
  }
  if (!find(objs, "Deployment", "dashboard").length) p.push("no dashboard Deployment");
  return p;
}

/** Services select pods and name their ports; Ingress, PDB, HPA, ServiceMonitor and NetworkPolicy point at real things. */
export function checkWiring(objs: Obj[], opts: { serviceMonitor: boolean }): string[] {
  const p: string[] = [];
  const pods = [...find(objs, "Deployment"), ...find(objs, "StatefulSet")].map((w) => ({
    labels: w.spec.template.metadata.labels,
    spec: w.spec.template.spec,
    name: w.metadata.name,
  }));
  const services = find(objs, "Service");
  for (const s of services) {
    const target = pods.find((x) => matches(s.spec.selector, x.labels));
    if (!target) p.push(`Service ${s.metadata.name} selects no pods`);
    for (const port of s.spec.ports)
      if (
        target &&
        typeof port.targetPort === "string" &&
        !target.spec.containers.some((c: any) => c.ports?.some((cp: any) => cp.name === port.targetPort))
      )
        p.push(`Service ${s.metadata.name}: no container port named ${port.targetPort}`);
  }
  const orchestratorSvc = services.find((s) => component(s) === "orchestrator")?.metadata.name;
  const ingresses = find(objs, "Ingress");
  const routesTo = new Map<string, string>();
  for (const ing of ingresses)
    for (const rule of ing.spec.rules)
      for (const path of rule.http.paths) {
        routesTo.set(path.path, path.backend.service.name);
        const svc = services.find((s) => s.metadata.name === path.backend.service.name);
        if (
          !svc?.spec.ports.some(
            (sp: any) => sp.name === path.backend.service.port.name || sp.port === path.backend.service.port.number,
          )
        )
          p.push(`Ingress ${ing.metadata.name} ${path.path}: no such service port`);
      }
  const backendFor = (path: string) =>
    [...routesTo]
      .filter(
        ([prefix]) =>
          path === prefix || path.startsWith(prefix === "/" ? "/" : `${prefix}/`) || path.startsWith(`${prefix}?`),
      )
      .sort((a, b) => b[0].length - a[0].length)[0]?.[1];
  for (const path of new Set(Object.values(routes).map((r) => r.path)))
    if (backendFor(path.replace(/:\w+/g, "x")) !== orchestratorSvc)
      p.push(`Ingress does not send ${path} to the orchestrator`);
  // Metrics are scraped inside the cluster (ServiceMonitor), never published.
  if (backendFor("/metrics") === orchestratorSvc) p.push("Ingress publishes the orchestrator's /metrics");
  for (const ws of wsPaths())
    if (backendFor(ws.replace(/:\w+/g, "x")) !== orchestratorSvc)
      p.push(`Ingress does not send ${ws} to the orchestrator`);
  if (backendFor("/sessions") !== services.find((s) => component(s) === "dashboard")?.metadata.name)
    p.push("Ingress does not send pages to the dashboard");
  const wsIngress = ingresses.find((i) =>
    i.spec.rules.some((r: any) => r.http.paths.some((x: any) => x.path === "/ws")),
  );
  const a = wsIngress?.metadata.annotations ?? {};
  if (!(Number(a["nginx.ingress.kubernetes.io/proxy-read-timeout"]) >= 3600))
    p.push("the /ws Ingress keeps nginx's 60 s read timeout (WebSockets would drop)");
  for (const ing of ingresses)
    for (const k of ["limit-rps", "limit-connections"])
      if (!(Number(ing.metadata.annotations?.[`nginx.ingress.kubernetes.io/${k}`]) > 0))
        p.push(`Ingress ${ing.metadata.name}: no ${k}`);
  const orchestratorPods = pods.find((x) => x.labels["app.kubernetes.io/component"] === "orchestrator")!.labels;
  if (!find(objs, "PodDisruptionBudget").some((b) => matches(b.spec.selector.matchLabels, orchestratorPods)))
    p.push("no PodDisruptionBudget for the orchestrator");
  if (
    !find(objs, "HorizontalPodAutoscaler").some(
      (h) => h.spec.scaleTargetRef.kind === "Deployment" && h.spec.minReplicas >= 2,
    )
  )
    p.push("no HorizontalPodAutoscaler for the orchestrator");
  if (
    !find(objs, "NetworkPolicy").some(
      (n) =>
        matches(n.spec.podSelector.matchLabels, orchestratorPods) &&
        n.spec.ingress?.some((r: any) => r.ports?.some((x: any) => x.port === 8000)),
    )
  )
    p.push("no NetworkPolicy admitting traffic to the orchestrator's port");
  const monitors = find(objs, "ServiceMonitor");
  if (opts.serviceMonitor && !monitors.length) p.push("no ServiceMonitor");
  for (const m of monitors) {
    const svc = services.find((s) => matches(m.spec.selector.matchLabels, s.metadata.labels));
    if (svc?.metadata.name !== orchestratorSvc)
      p.push(`ServiceMonitor ${m.metadata.name} does not select the orchestrator Service`);
    if (
      !m.spec.endpoints.every(
        (e: any) => e.path === "/metrics" && svc?.spec.ports.some((sp: any) => sp.name === e.port),
      )
    )
      p.push("ServiceMonitor endpoints must scrape /metrics on a named Service port");
  }
  return p;
}

/** ResourceQuota and LimitRange exist, and the stack at its largest (HPA max + rollout surge) fits in them. */
export function checkQuota(objs: Obj[]): string[] {
  const p: string[] = [];
  const quota = find(objs, "ResourceQuota")[0];
  const limits = find(objs, "LimitRange")[0];
  if (!quota || !limits) return ["no ResourceQuota or no LimitRange"];
  const total: Record<string, number> = {};
  let pods = 0;
  for (const w of [...find(objs, "Deployment"), ...find(objs, "StatefulSet")]) {
    const hpa = find(objs, "HorizontalPodAutoscaler").find((h) => h.spec.scaleTargetRef.name === w.metadata.name);
    const n =
      (hpa ? hpa.spec.maxReplicas : w.spec.replicas) +
      (w.kind === "Deployment" ? (w.spec.strategy?.rollingUpdate?.maxSurge ?? 1) : 0);
    pods += n;
    for (const c of w.spec.template.spec.containers) {
      for (const k of ["requests", "limits"])
        for (const r of ["cpu", "memory"])
          total[`${k}.${r}`] = (total[`${k}.${r}`] ?? 0) + n * quantity(c.resources[k][r]);
      const max = limits.spec.limits.find((l: any) => l.type === "Container")?.max ?? {};
      for (const r of ["cpu", "memory"])
        if (max[r] && quantity(c.resources.limits[r]) > quantity(max[r]))
          p.push(`${w.metadata.name}/${c.name}: limits.${r} over the LimitRange max`);
    }
  }
  for (const [k, v] of Object.entries(total))
    if (quota.spec.hard[k] !== undefined && v > quantity(quota.spec.hard[k]))
      p.push(`${k}: the stack needs ${v} at its largest, the quota allows ${quota.spec.hard[k]}`);
  if (quota.spec.hard.pods !== undefined && pods > Number(quota.spec.hard.pods))
    p.push(`pods: ${pods} at the largest, quota ${quota.spec.hard.pods}`);
  return p;
}
