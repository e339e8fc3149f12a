import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { computeBwrapArgs, CONFINED_ENV, OFFLINE_ENV } from "@industrial/opencode";
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import {
  CHART_DIR,
  lintChart,
  parseManifests,
  PLAIN_MANIFESTS_DIR,
  renderChart,
  type K8sObject,
  type RenderOptions,
} from "../tools/chart";
import { ensureHelm } from "../tools/helm";
import { generatedDotEnv, interpolateDocument, serviceEnvironment } from "./compose";
import { imageDirectories, parseDeployedConfig } from "./deployed-config";
import { ops, parseDockerfile } from "./dockerfile";
import { checkOrchestrator, checkQuota, checkWiring, checkWorkloads, find } from "./k8s-checks";
import { validateK8sObjects } from "./k8s-schema";
import { containerEnv, containers, secretData } from "./pod-env";
import { apiServerProblems, podSecurityLevel, podSecurityViolations, podSpecOf } from "./pod-security";
import { read, ROOT } from "./repo";
import { RUNNER_PODS_VALUES } from "./runner-pods-values";

/**
 * Issue 12 on the deployment side: agents' commands in a sandbox. The image
 * ships bubblewrap and requires the sandbox; the chart offers the two ways it
 * can work in a cluster (values.yaml, sandbox) — bubblewrap in the
 * orchestrator's pods under a Localhost seccomp profile that allows user
 * namespaces, or a runner pod per tenant that is itself the sandbox — each
 * rendered by a real helm and checked against the Kubernetes schemas, the Pod
 * Security levels and the API server's rules on these fields; runner pods
 * never reach PostgreSQL or Redis; compose runs the image with the chart's
 * profile. No cluster and no Docker engine run here: what a node's kernel
 * and runtime do with these settings is not tested (README, Sandbox in
 * Kubernetes, says what was checked by hand).
 */

let helm = "";
beforeAll(() => {
  helm = ensureHelm();
}, 300_000);

const PROFILE_FILE = join(CHART_DIR, "files/orchestrator-userns.json");
const PRODUCTION = join(CHART_DIR, "values-production.yaml");
const RUNNERS = {
  ...RUNNER_PODS_VALUES,
  "runnerPods[1].resources.requests.cpu": "500m",
  "runnerPods[1].resources.requests.memory": "2Gi",
  "runnerPods[1].resources.limits.cpu": "1500m",
  "runnerPods[1].resources.limits.memory": "4Gi",
};

/* eslint-disable @typescript-eslint/no-explicit-any -- rendered objects are untyped YAML */
type Obj = K8sObject & { spec?: any; data?: Record<string, string> };
const component = (o: K8sObject) => o.metadata.labels?.["app.kubernetes.io/component"];
const render = (options: RenderOptions) => parseManifests(renderChart(helm, options)) as Obj[];
const workloads = (objs: Obj[]) => objs.filter((o) => ["Deployment", "StatefulSet"].includes(o.kind));
const orchestratorPod = (objs: Obj[]) => podSpecOf(find(objs, "Deployment", "orchestrator")[0]!);
const orchestratorContainer = (objs: Obj[]) =>
  orchestratorPod(objs).containers.find((c: any) => c.name === "orchestrator");
const orchestratorEnv = (objs: Obj[]) => containerEnv(objs, orchestratorContainer(objs)).vars;
const profile = () =>
  JSON.parse(readFileSync(PROFILE_FILE, "utf8")) as {
    defaultAction: string;
    architectures: string[];
    syscalls: { names: string[]; action: string; args?: unknown[] }[];
  };
/** Syscalls a rule allows whatever their arguments. */
const allowedAlways = () =>
  new Set(
    profile()
      .syscalls.filter((r) => r.action === "SCMP_ACT_ALLOW" && !r.args?.length)
      .flatMap((r) => r.names),
  );
const selects = (selector: Record<string, string> | undefined, labels: Record<string, string>) =>
  Object.keys(selector ?? {}).length > 0 && Object.entries(selector!).every(([k, v]) => labels[k] === v);

const choices: { name: string; options: RenderOptions }[] = [
  { name: "userns-seccomp (the default)", options: {} },
  {
    name: "userns-seccomp, production values, AppArmor Localhost",
    options: {
      release: "prod",
      namespace: "orchestrator",
      values: [PRODUCTION],
      set: {
        "sandbox.appArmorProfile.type": "Localhost",
        "sandbox.appArmorProfile.localhostProfile": "orchestrator-userns",
      },
    },
  },
  // Runner pods count against the namespace's quota: the operator grows it by theirs (values.yaml, runnerPods).
  {
    name: "runner-pods",
    options: { set: { ...RUNNERS, "namespace.create": "true", "namespace.resourceQuota.hard.limits\\.cpu": "30" } },
  },
  {
    name: "runner-pods, production values",
    options: {
      release: "prod",
      namespace: "orchestrator",
      values: [PRODUCTION],
      set: {
        ...RUNNERS,
        "networkPolicy.runnerEgressExcept[0]": "10.0.0.0/8",
        "namespace.resourceQuota.hard.limits\\.cpu": "40",
      },
    },
  },
];

describe.each(choices)("the chart's sandbox choice: $name", ({ options }) => {
  let objs: Obj[] = [];
  beforeAll(() => {
    objs = render(options);
  });

  it("validates every object against the Kubernetes schemas and the API server's rules on these fields", async () => {
    expect(await validateK8sObjects(objs)).toEqual([]);
    expect(workloads(objs).flatMap((w) => apiServerProblems(podSpecOf(w), `${w.kind} ${w.metadata.name}`))).toEqual([]);
  });

  it("keeps what the rest of the chart promises (orchestrator, workloads, wiring, quota)", () => {
    expect(checkOrchestrator(objs)).toEqual([]);
    expect(checkWorkloads(objs)).toEqual([]);
    expect(checkWiring(objs, { serviceMonitor: false })).toEqual([]);
    expect(checkQuota(objs)).toEqual([]);
  });

  it("grants no privilege and no capability anywhere: the sandbox is user namespaces, never SYS_ADMIN", () => {
    for (const { workload, container } of containers(objs)) {
      const sc = (container as any).securityContext ?? {};
      expect(sc.privileged, `${workload.metadata.name}/${container.name}`).not.toBe(true);
      expect(sc.capabilities?.add ?? [], `${workload.metadata.name}/${container.name}`).toEqual([]);
      expect(sc.capabilities?.drop).toContain("ALL");
      expect(sc.allowPrivilegeEscalation).toBe(false);
    }
  });

  it("meets the Pod Security level its namespace enforces; only the orchestrator's pod falls short of restricted, by what bubblewrap needs", () => {
    const inPod = orchestratorEnv(objs).get("ORCHESTRATOR_MANAGED_RUNNERS")?.value !== "0";
    for (const w of workloads(objs)) {
      const violations = podSecurityViolations(podSpecOf(w));
      if (component(w) === "orchestrator" && inPod) {
        const allowed = [
          "procMount",
          ...(orchestratorContainer(objs).securityContext.appArmorProfile.type === "Unconfined"
            ? ["appArmorProfile"]
            : []),
        ];
        expect(violations.map((v) => v.control).sort(), w.metadata.name).toEqual(allowed.sort());
      } else expect(violations, w.metadata.name).toEqual([]);
    }
    const ns = find(objs, "Namespace")[0];
    if (ns) {
      const enforce = ns.metadata.labels!["pod-security.kubernetes.io/enforce"]!;
      const rank = { privileged: 0, baseline: 1, restricted: 2 } as const;
      for (const w of workloads(objs))
        expect(
          rank[podSecurityLevel(podSpecOf(w))],
          `${w.metadata.name} under enforce=${enforce}`,
        ).toBeGreaterThanOrEqual(rank[enforce as keyof typeof rank]);
      expect(ns.metadata.labels!["pod-security.kubernetes.io/warn"]).toBe("restricted");
      expect(ns.metadata.labels!["pod-security.kubernetes.io/audit"]).toBe("restricted");
    }
  });

  it("sets ORCHESTRATOR_SANDBOX=required, which config.ts accepts", () => {
    const vars = orchestratorEnv(objs);
    expect(vars.get("ORCHESTRATOR_SANDBOX")).toMatchObject({ source: "configMap", value: "required" });
  });

  it("keeps runner pods away from PostgreSQL and Redis (and everything of the namespace but the orchestrator's calls)", () => {
    const runnerPods = find(objs, "Deployment", "runner");
    if (!runnerPods.length) return;
    const labels = (runnerPods[0] as any).spec.template.metadata.labels;
    const policies = find(objs, "NetworkPolicy").filter((n) => selects(n.spec.podSelector.matchLabels, labels));
    expect(policies.length).toBe(1);
    const policy = policies[0]!;
    expect(policy.spec.policyTypes).toEqual(["Ingress", "Egress"]);
    const orchestratorLabels = (find(objs, "Deployment", "orchestrator")[0] as any).spec.template.metadata.labels;
    expect(policy.spec.ingress).toHaveLength(1);
    expect(
      policy.spec.ingress[0].from.every(
        (f: any) => f.podSelector && selects(f.podSelector.matchLabels, orchestratorLabels) && !f.namespaceSelector,
      ),
    ).toBe(true);
    const egressPorts = policy.spec.egress.flatMap((r: any) => (r.ports ?? []).map((p: any) => p.port));
    for (const port of [5432, 6379, 8000, 8080]) expect(egressPorts, `port ${port}`).not.toContain(port);
    // No rule picks pods of the namespace (the bundled PostgreSQL, Redis, git server, the orchestrator): DNS and ipBlocks only.
    for (const rule of policy.spec.egress)
      for (const to of rule.to)
        expect(Boolean(to.ipBlock) || to.podSelector?.matchLabels?.["k8s-app"] === "kube-dns", JSON.stringify(to)).toBe(
          true,
        );
    // The bundled services admit only the orchestrator.
    for (const svc of ["postgresql", "redis"])
      for (const n of find(objs, "NetworkPolicy", svc))
        for (const rule of n.spec.ingress)
          for (const from of rule.from)
            expect(selects(from.podSelector?.matchLabels, labels), `${svc} admits runner pods`).toBe(false);
    // The orchestrator reaches them on their port.
    const orch = find(objs, "NetworkPolicy", "orchestrator").find((n) =>
      selects(n.spec.podSelector.matchLabels, orchestratorLabels),
    )!;
    expect(
      orch.spec.egress.some(
        (r: any) =>
          r.to?.some((t: any) => selects(t.podSelector?.matchLabels, labels)) &&
          r.ports.some((p: any) => p.port === 4096),
      ),
    ).toBe(true);
  });
});

/**
 * What an agent's command sees of a path of the orchestrator's container,
 * from bubblewrap's own arguments for a session (packages/opencode): the last
 * mount over it decides — a bind shows it, a tmpfs or /dev/null hides it,
 * none leaves it absent.
 */
function sandboxSees(path: string, dataDir: string): boolean {
  const args = computeBwrapArgs({
    target: { root: `${dataDir}/worktrees/s1`, gitDirs: [] },
    policy: { network: "full", memoryMb: null, maxProcesses: null, cpuSeconds: null, mounts: [] },
    hidden: [dataDir],
    kind: () => "dir",
  });
  const binds = ["--bind", "--ro-bind", "--bind-try", "--ro-bind-try"];
  let seen = false;
  for (let i = 0; i < args.length; i++) {
    const [op, a, b] = [args[i]!, args[i + 1], args[i + 2]];
    const dest = op === "--tmpfs" || op === "--dir" ? a : binds.includes(op) ? b : undefined;
    if (dest === undefined || !(path === dest || path.startsWith(`${dest}/`))) continue;
    seen = binds.includes(op) && a !== "/dev/null";
  }
  return seen;
}

describe("userns-seccomp: bubblewrap in the orchestrator's pods", () => {
  it("mounts no credential where an agent's command could read it: every Secret volume of the orchestrator is outside what the sandbox shows", () => {
    // The check itself: /etc is shown read-only, /etc/ssh hidden, /run and the data dir not shown.
    expect([
      sandboxSees("/etc/x", "/data"),
      sandboxSees("/etc/ssh/k", "/data"),
      sandboxSees("/run/x", "/data"),
      sandboxSees("/data/x", "/data"),
      sandboxSees("/data/worktrees/s1/a", "/data"),
    ]).toEqual([true, false, false, false, true]);
    const stacks = [
      render({}),
      render({ release: "prod", namespace: "orchestrator", values: [PRODUCTION] }),
      render({
        set: {
          "workRemote.url": "https://git.example.com/work.git",
          "workRemote.existingSecret": "git",
          "workRemote.https.credentialsKey": "git-credentials",
        },
      }),
    ];
    for (const objs of stacks) {
      const pod = orchestratorPod(objs);
      const c = orchestratorContainer(objs);
      const dataDir = orchestratorEnv(objs).get("ORCHESTRATOR_DATA_DIR")!.value!;
      const credentialVolumes = pod.volumes
        .filter((v: any) => v.secret || v.projected?.sources?.some((x: any) => x.secret))
        .map((v: any) => v.name);
      expect(credentialVolumes.length).toBeGreaterThan(0);
      for (const m of c.volumeMounts.filter((x: any) => credentialVolumes.includes(x.name)))
        expect(sandboxSees(m.mountPath, dataDir), `${m.name} at ${m.mountPath}`).toBe(false);
    }
  });

  it("runs the orchestrator container under the chart's Localhost profile, with procMount Unmasked in a user namespace of the pod's own", () => {
    const objs = render({ set: { "sandbox.seccompProfile": "custom/io-userns.json" } });
    const pod = orchestratorPod(objs);
    const c = orchestratorContainer(objs);
    expect(pod.hostUsers).toBe(false);
    expect(c.securityContext).toMatchObject({
      seccompProfile: { type: "Localhost", localhostProfile: "custom/io-userns.json" },
      procMount: "Unmasked",
      appArmorProfile: { type: "Unconfined" },
      runAsNonRoot: true,
      readOnlyRootFilesystem: true,
    });
    // Only the orchestrator: the dashboard, PostgreSQL, Redis and the git server keep RuntimeDefault and the host's users.
    for (const w of workloads(objs).filter((x) => component(x) !== "orchestrator")) {
      expect(podSpecOf(w).hostUsers, w.metadata.name).toBeUndefined();
      for (const x of podSpecOf(w).containers)
        expect(x.securityContext.seccompProfile, w.metadata.name).toBeUndefined();
    }
    // A new profile rolls the pods: the runtime reads it when it creates a container.
    const annotations = (find(objs, "Deployment", "orchestrator")[0] as any).spec.template.metadata.annotations;
    expect(annotations["checksum/seccomp"]).toMatch(/^[0-9a-f]{64}$/);
  });

  it("ships the profile in the chart and, readable from the cluster, in a ConfigMap, byte for byte", () => {
    const objs = render({});
    const cm = find(objs, "ConfigMap").find((c) => c.metadata.name.endsWith("-seccomp"))!;
    expect(cm.data!["orchestrator-userns.json"]!.trim()).toBe(readFileSync(PROFILE_FILE, "utf8").trim());
    expect(render({ set: RUNNERS }).some((o) => o.metadata.name.endsWith("-seccomp"))).toBe(false);
    // The plain manifests carry it too (the default choice).
    const plain = parseManifests(readFileSync(join(PLAIN_MANIFESTS_DIR, "12-sandbox.yaml"), "utf8"));
    expect(plain[0]!.kind).toBe("ConfigMap");
  });

  it("has a profile that is the runtime's default in spirit, plus what bubblewrap needs", () => {
    const p = profile();
    expect(p.defaultAction).toBe("SCMP_ACT_ERRNO");
    expect(p.architectures.sort()).toEqual(["SCMP_ARCH_AARCH64", "SCMP_ARCH_X86_64"]);
    const allowed = allowedAlways();
    // bubblewrap: user, mount, PID, IPC, UTS, network namespaces; bind mounts; the new root; the hostname.
    for (const s of ["clone", "clone3", "unshare", "setns", "mount", "umount2", "pivot_root", "chroot", "sethostname"])
      expect(allowed, s).toContain(s);
    // What ordinary programs (node, OpenCode, git, bash) use.
    for (const s of [
      "read",
      "write",
      "openat",
      "close",
      "mmap",
      "mprotect",
      "futex",
      "epoll_wait",
      "epoll_pwait",
      "execve",
      "wait4",
      "rt_sigaction",
      "socket",
      "connect",
      "statx",
      "getdents64",
      "pipe2",
      "prctl",
      "capset",
      "rseq",
      "close_range",
    ])
      expect(allowed, s).toContain(s);
    // What the runtime's default profile refuses stays refused.
    for (const s of [
      "init_module",
      "finit_module",
      "delete_module",
      "kexec_load",
      "kexec_file_load",
      "reboot",
      "swapon",
      "bpf",
      "perf_event_open",
      "userfaultfd",
      "keyctl",
      "add_key",
      "request_key",
      "open_by_handle_at",
      "io_uring_setup",
      "fsopen",
      "fsmount",
      "move_mount",
      "mount_setattr",
      "settimeofday",
      "clock_settime",
      "acct",
      "iopl",
      "ioperm",
      "syslog",
      "quotactl",
      "lookup_dcookie",
    ])
      expect(allowed, s).not.toContain(s);
    // personality only with the values programs ask for.
    const personality = p.syscalls.filter((r) => r.names.includes("personality"));
    expect(personality.length).toBeGreaterThan(0);
    expect(personality.every((r) => r.args?.length === 1)).toBe(true);
    // Only fields both Docker's and the OCI runtime spec's format read (containerd reads the OCI one, CRI-O and Docker theirs).
    expect(Object.keys(p).sort()).toEqual(["architectures", "defaultAction", "defaultErrnoRet", "syscalls"]);
    for (const r of p.syscalls)
      for (const k of Object.keys(r)) expect(["names", "action", "args", "comment"]).toContain(k);
  });

  it("refuses sandbox values that cannot work, saying which", () => {
    expect(() => renderChart(helm, { set: { "sandbox.mode": "maybe" } })).toThrow(/sandbox\.mode|mode/);
    expect(() => renderChart(helm, { set: { "sandbox.podSecurity": "privileged" } })).toThrow(/podSecurity/);
    expect(() => renderChart(helm, { set: { "sandbox.seccompProfile": "/var/lib/kubelet/seccomp/x.json" } })).toThrow(
      /seccompProfile/,
    );
    expect(() => renderChart(helm, { set: { "sandbox.appArmorProfile.type": "Localhost" } })).toThrow(
      /localhostProfile/,
    );
    expect(() => renderChart(helm, { set: { "sandbox.appArmorProfile.localhostProfile": "x" } })).toThrow(
      /localhostProfile/,
    );
    // The chart writes ORCHESTRATOR_SANDBOX from sandbox.mode: config may not set it behind its back.
    expect(() => renderChart(helm, { set: { "config.ORCHESTRATOR_SANDBOX": "off" } })).toThrow(/ORCHESTRATOR_SANDBOX/);
    expect(orchestratorEnv(render({ set: { "sandbox.mode": "off" } })).get("ORCHESTRATOR_SANDBOX")?.value).toBe("off");
  });
});

describe("runner-pods: a pod per tenant is the sandbox", () => {
  let objs: Obj[] = [];
  beforeAll(() => {
    objs = render({ set: RUNNERS });
  });

  it("runs no managed runner in the orchestrator, which needs nothing beyond restricted then, and lists the default tenant's runner pods", () => {
    const vars = orchestratorEnv(objs);
    expect(vars.get("ORCHESTRATOR_MANAGED_RUNNERS")?.value).toBe("0");
    const main = find(objs, "Service", "runner").find(
      (s) => s.metadata.labels!["industrial-orchestrator/runner"] === "main",
    )!;
    // With its password, which Kubernetes expands from the pod's own Secret: no spec holds it.
    const spec = (name: string) =>
      orchestratorPod(objs).containers[0].env.find((e: { name: string }) => e.name === name);
    expect(spec("ORCHESTRATOR_REMOTE_RUNNERS").value).toBe(
      `http://opencode:$(RUNNER_POD_PASSWORD_MAIN)@${main.metadata.name}:4096`,
    );
    expect(spec("RUNNER_POD_PASSWORD_MAIN").valueFrom.secretKeyRef).toEqual({
      name: main.metadata.name,
      key: "OPENCODE_SERVER_PASSWORD",
    });
    const parsed = parseDeployedConfig(
      Object.fromEntries(
        [...vars].map(([k, v]) => [
          k,
          v.source === "secret" ? "s".repeat(48) : v.value?.replace(/\$\([A-Z_]+\)/g, "s".repeat(48)),
        ]),
      ),
      [...imageDirectories()],
    );
    expect(parsed.ok ? "" : parsed.errors.join("; ")).toBe("");
    expect(parsed.ok && parsed.config).toMatchObject({
      ORCHESTRATOR_MANAGED_RUNNERS: 0,
      ORCHESTRATOR_REMOTE_RUNNERS: [
        { url: `http://${main.metadata.name}:4096`, password: expect.stringMatching(/^[A-Za-z0-9]{48}$/) },
      ],
    });
    expect(orchestratorPod(objs).hostUsers).toBeUndefined();
    expect(podSecurityViolations(orchestratorPod(objs))).toEqual([]);
    // config's own remote runners come first (remote-1, …), then the pods.
    const withConfig = orchestratorEnv(
      render({ set: { ...RUNNERS, "config.ORCHESTRATOR_REMOTE_RUNNERS": "http://opencode.example.com:4096" } }),
    );
    expect(withConfig.get("ORCHESTRATOR_REMOTE_RUNNERS")?.value).toMatch(
      new RegExp(`^http://opencode\\.example\\.com:4096,http://opencode:[A-Za-z0-9]{48}@${main.metadata.name}:4096$`),
    );
  });

  it("renders per entry a Deployment of one restricted pod running `opencode serve`, a Service selecting it, and its password's Secret", () => {
    const deployments = find(objs, "Deployment", "runner");
    expect(deployments.map((d) => d.metadata.labels!["industrial-orchestrator/runner"]).sort()).toEqual([
      "acme",
      "main",
    ]);
    for (const d of deployments) {
      const name = d.metadata.labels!["industrial-orchestrator/runner"]!;
      const pod = podSpecOf(d);
      expect(d.spec.replicas).toBe(1);
      expect(podSecurityLevel(pod), name).toBe("restricted");
      expect(pod.automountServiceAccountToken).toBe(false);
      expect(pod.enableServiceLinks).toBe(false);
      expect(pod.securityContext.seccompProfile).toEqual({ type: "RuntimeDefault" });
      const c = pod.containers[0];
      expect(c.args).toEqual(["opencode", "serve", "--hostname", "0.0.0.0", "--port", "4096"]);
      expect(c.securityContext).toMatchObject({
        readOnlyRootFilesystem: true,
        runAsNonRoot: true,
        allowPrivilegeEscalation: false,
        capabilities: { drop: ["ALL"] },
      });
      expect(c.workingDir).toBe("/workspace");
      const workspace = pod.volumes.find(
        (v: any) => v.name === c.volumeMounts.find((m: any) => m.mountPath === "/workspace").name,
      );
      expect(workspace.emptyDir.sizeLimit).toBe("20Gi");
      // The password: its own Secret's, by key; the orchestrator's Secret never reaches a runner pod.
      const { vars } = containerEnv(objs, c);
      const password = vars.get("OPENCODE_SERVER_PASSWORD")!;
      const secret = find(objs, "Secret", "runner").find(
        (s) => s.metadata.labels!["industrial-orchestrator/runner"] === name,
      )!;
      expect(password).toMatchObject({
        source: "secret",
        ref: { name: secret.metadata.name, key: "OPENCODE_SERVER_PASSWORD" },
      });
      expect(password.value!.length).toBeGreaterThanOrEqual(32);
      expect(vars.get("OPENCODE_SERVER_USERNAME")?.value).toBe("opencode");
      // The switches a managed runner gets: no OpenCode service of its own, no setup from the repositories it works in.
      for (const [k, v] of Object.entries({ ...OFFLINE_ENV, ...CONFINED_ENV })) expect(vars.get(k)?.value, k).toBe(v);
      const orchestratorSecret = orchestratorContainer(objs).envFrom.find((e: any) => e.secretRef).secretRef.name;
      expect(JSON.stringify(c)).not.toContain(`"${orchestratorSecret}"`);
      for (const v of ["ORCHESTRATOR_SECRET", "DATABASE_URL", "REDIS_URL", "ORCHESTRATOR_ADMIN_KEY"])
        expect(vars.has(v), v).toBe(false);
      // Its Service selects it alone.
      const services = find(objs, "Service", "runner").filter((s) =>
        selects(s.spec.selector, d.spec.template.metadata.labels),
      );
      expect(services.map((s) => s.metadata.name)).toEqual([d.metadata.name]);
      expect(
        deployments.filter((x) => selects(services[0]!.spec.selector, x.spec.template.metadata.labels)),
      ).toHaveLength(1);
    }
    const acme = deployments.find((d) => d.metadata.labels!["industrial-orchestrator/runner"] === "acme")!;
    expect(podSpecOf(acme).containers[0].envFrom).toEqual([{ secretRef: { name: "acme-providers" } }]);
    expect(podSpecOf(acme).containers[0].resources).toEqual({
      requests: { cpu: "500m", memory: "2Gi" },
      limits: { cpu: "1500m", memory: "4Gi" },
    });
    expect(secretData(find(objs, "Secret", "runner")[0]!).OPENCODE_SERVER_PASSWORD).toBeTruthy();
  });

  it("passes helm lint --strict", () => {
    const dir = mkdtempSync(join(tmpdir(), "runner-pods-"));
    try {
      const file = join(dir, "values.yaml");
      writeFileSync(
        file,
        "sandbox: { podSecurity: runner-pods }\nrunnerPods:\n  - { name: main, tenant: default }\n  - { name: acme, tenant: acme, credentialsSecret: acme-providers }\n",
      );
      expect(lintChart(helm, [file])).toMatch(/0 chart\(s\) failed/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("refuses a setup the orchestrator cannot start with, or names that clash", () => {
    expect(() => renderChart(helm, { set: { "sandbox.podSecurity": "runner-pods" } })).toThrow(
      /runs no managed runner.*tenant: default/,
    );
    expect(() =>
      renderChart(helm, {
        set: { "sandbox.podSecurity": "runner-pods", "runnerPods[0].name": "acme", "runnerPods[0].tenant": "acme" },
      }),
    ).toThrow(/tenant: default/);
    expect(() => renderChart(helm, { set: { ...RUNNERS, "runnerPods[1].name": "main" } })).toThrow(
      /main is given twice/,
    );
    expect(() => renderChart(helm, { set: { ...RUNNERS, "runnerPods[0].name": "Main_1" } })).toThrow(/name/);
    expect(() => renderChart(helm, { set: { ...RUNNERS, "networkPolicy.runnerEgressPorts[0]": "5432" } })).toThrow(
      /runnerEgressPorts/,
    );
    // With config's own remote runner the orchestrator starts: runner pods of other tenants only are fine.
    expect(() =>
      renderChart(helm, {
        set: {
          "sandbox.podSecurity": "runner-pods",
          "config.ORCHESTRATOR_REMOTE_RUNNERS": "http://opencode.example.com:4096",
        },
      }),
    ).not.toThrow();
  });

  it("leaves the runner pods' password for the operator to fill in where secrets are not generated", () => {
    const plain = render({ set: { ...RUNNERS, generateSecrets: "false" } });
    for (const s of find(plain, "Secret", "runner")) expect(secretData(s).OPENCODE_SERVER_PASSWORD).toBe("");
  });
});

describe("the image and compose", () => {
  it("Dockerfile: bubblewrap installed and checked at build, the sandbox required, opencode on PATH for runner pods", () => {
    const runtime = parseDockerfile(read("Dockerfile")).stages.at(-1)!;
    const runs = ops(runtime, "RUN").map((r) => r.args);
    expect(runs.find((r) => r.includes("apt-get install"))).toMatch(/\bbubblewrap\b/);
    const check = runs.find((r) => r.includes("resolveOpenCodeBinary"))!;
    expect(check).toMatch(/bwrap --version/);
    expect(check).toMatch(/ln -s "\$opencode" \/usr\/local\/bin\/opencode/);
    const env = Object.fromEntries(
      ops(runtime, "ENV").flatMap((e) => [...e.args.matchAll(/(\w+)=(\S+)/g)].map((m) => [m[1]!, m[2]!])),
    );
    expect(env.ORCHESTRATOR_SANDBOX).toBe("required");
    const parsed = parseDeployedConfig(env, imageDirectories());
    expect(parsed.ok && parsed.config.ORCHESTRATOR_SANDBOX).toBe("required");
  });

  it("compose: the sandbox required, under the chart's seccomp profile, with no privilege or capability", () => {
    type Service = {
      environment?: string[];
      security_opt?: string[];
      privileged?: boolean;
      cap_add?: string[];
      volumes?: string[];
    };
    const compose = interpolateDocument(
      parse(read("docker-compose.yml")) as { services: Record<string, Service> },
      generatedDotEnv(),
    ).value;
    const s = compose.services.orchestrator!;
    const env = serviceEnvironment(s.environment);
    const mounts = (s.volumes ?? []).map((v) => v.split(":")[1]!);
    const parsed = parseDeployedConfig(env, [...imageDirectories(), ...mounts]);
    expect(parsed.ok && parsed.config.ORCHESTRATOR_SANDBOX).toBe("required");
    const opts = s.security_opt ?? [];
    const seccomp = opts.find((o) => o.startsWith("seccomp="))!.slice("seccomp=".length);
    expect(seccomp).not.toBe("unconfined");
    // Compose reads the file relative to the project (the repository root) and hands its content to Docker.
    expect(existsSync(join(ROOT, seccomp))).toBe(true);
    expect(readFileSync(join(ROOT, seccomp), "utf8")).toBe(readFileSync(PROFILE_FILE, "utf8"));
    expect(opts).toContain("systempaths=unconfined");
    expect(opts).toContain("apparmor=unconfined");
    expect(s.privileged).toBeUndefined();
    expect(s.cap_add).toBeUndefined();
  });
});
