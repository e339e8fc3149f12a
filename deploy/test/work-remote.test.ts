import { join, posix } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { CHART_DIR, parseManifests, renderChart, type K8sObject, type RenderOptions } from "../tools/chart";
import { ensureHelm } from "../tools/helm";
import { generatedDotEnv, interpolateDocument, serviceEnvironment } from "./compose";
import { ops, parseDockerfile } from "./dockerfile";
import { find } from "./k8s-checks";
import { containerEnv, containers, fileSource, secretData } from "./pod-env";
import { read } from "./repo";

/**
 * Issue 11 on the deployment side: each pod's data dir is scratch, so every
 * replica pushes its sessions' checkpoints to one work remote they share —
 * the chart refuses to run several replicas without one, configures it with
 * credentials that stay files of a Secret, and bundles an authenticated git
 * server for trials; compose gives every orchestrator the same one.
 */

let helm = "";
beforeAll(() => {
  helm = ensureHelm();
}, 300_000);

const PRODUCTION = join(CHART_DIR, "values-production.yaml");
const SSH_URL = "ssh://git@git.internal.example.com:2222/platform/work.git";
const SSH = {
  "workRemote.url": SSH_URL,
  "workRemote.existingSecret": "orchestrator-git",
  "workRemote.ssh.privateKeyKey": "ssh-privatekey",
  "workRemote.ssh.knownHostsKey": "known_hosts",
};
const KNOWN_HOSTS =
  "[git.internal.example.com]:2222 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl";

const component = (o: K8sObject) => o.metadata.labels?.["app.kubernetes.io/component"];
const render = (options: RenderOptions) => parseManifests(renderChart(helm, options));
const orchestrators = (objs: K8sObject[]) => containers(objs).filter((c) => component(c.workload) === "orchestrator");
/* eslint-disable @typescript-eslint/no-explicit-any -- rendered objects are untyped YAML */
const podSpec = (w: K8sObject) => (w as any).spec.template.spec;
const egressPorts = (objs: K8sObject[], of: string) =>
  find(objs, "NetworkPolicy", of).flatMap((n) =>
    (n as any).spec.egress.flatMap((r: any) => (r.ports ?? []).map((p: any) => p.port)),
  ) as number[];
/* eslint-enable @typescript-eslint/no-explicit-any */

describe("chart: a work remote shared by every replica", () => {
  it("refuses to render more than one replica without one, saying what to set", () => {
    const message = /workRemote\.url is required with more than one replica/;
    expect(() => renderChart(helm, { set: { "gitServer.enabled": "false" } })).toThrow(
      /required with more than one replica \(autoscaling is on\)/,
    );
    expect(() =>
      renderChart(helm, {
        set: { "gitServer.enabled": "false", "autoscaling.enabled": "false", "orchestrator.replicas": "3" },
      }),
    ).toThrow(/required with more than one replica \(orchestrator\.replicas is 3\)/);
    expect(() => renderChart(helm, { values: [PRODUCTION], set: { "workRemote.url": "" } })).toThrow(message);
    expect(() => renderChart(helm, { set: { "gitServer.enabled": "false" } })).toThrow(
      /workRemote\.existingSecret.*gitServer\.enabled=true/,
    );
  });

  it("refuses a remote that cannot work: credentials in the URL, SSH without a key or host keys, a key without its Secret, a path", () => {
    expect(() =>
      renderChart(helm, { set: { "workRemote.url": "https://oauth2:glpat-secret@git.example.com/work.git" } }),
    ).toThrow(/must not hold credentials/);
    expect(() => renderChart(helm, { set: { "workRemote.url": "git@git.example.com:platform/work.git" } })).toThrow(
      /privateKeyKey/,
    );
    expect(() => renderChart(helm, { set: { ...SSH, "workRemote.ssh.knownHostsKey": "" } })).toThrow(/knownHosts/);
    expect(() => renderChart(helm, { set: { ...SSH, "workRemote.existingSecret": "" } })).toThrow(/existingSecret/);
    expect(() =>
      renderChart(helm, { set: { ...SSH, "workRemote.existingSecret": "env", "auth.existingSecret": "env" } }),
    ).toThrow(/must not be auth\.existingSecret/);
    // A path is one pod's disk; no value takes key material itself.
    expect(() => renderChart(helm, { set: { "workRemote.url": "/srv/work.git" } })).toThrow(/workRemote/);
    expect(() =>
      renderChart(helm, { set: { ...SSH, "workRemote.ssh.privateKey": "-----BEGIN OPENSSH PRIVATE KEY-----" } }),
    ).toThrow(/privateKey/);
  });

  it.each([
    { name: "an SSH remote", options: { set: SSH } as RenderOptions, url: SSH_URL, port: 2222 },
    {
      name: "production values",
      options: { release: "prod", namespace: "orchestrator", values: [PRODUCTION] } as RenderOptions,
      url: "ssh://git@git.internal.example.com/platform/orchestrator-work.git",
      port: 22,
    },
  ])(
    "gives every orchestrator pod ORCHESTRATOR_WORK_REMOTE and the SSH key as a file of the Secret, never its content ($name)",
    ({ options, url, port }) => {
      const objs = render(options);
      const pods = orchestrators(objs);
      expect(pods.length).toBeGreaterThan(0);
      for (const { workload, container } of pods) {
        const { vars } = containerEnv(objs, container);
        expect(vars.get("ORCHESTRATOR_WORK_REMOTE")).toMatchObject({ value: url, source: "configMap" });
        const keyPath = vars.get("ORCHESTRATOR_GIT_SSH_KEY")!.value!;
        expect(fileSource(workload, container, keyPath)).toEqual({
          volume: "git",
          kind: "secret",
          ref: { name: "orchestrator-git", key: "ssh-privatekey" },
          mode: 0o400,
          readOnly: true,
        });
        // ssh reads $HOME/.ssh/known_hosts; BatchMode refuses a host it does not know.
        const home = vars.get("HOME")?.value ?? "/home/orchestrator";
        expect(fileSource(workload, container, posix.join(home, ".ssh/known_hosts"))).toMatchObject({
          kind: "secret",
          ref: { name: "orchestrator-git", key: "known_hosts" },
          readOnly: true,
        });
        // The work remote's Secret reaches no variable: neither envFrom nor a key reference.
        expect([...vars.values()].filter((v) => v.ref?.name === "orchestrator-git")).toEqual([]);
        expect(JSON.stringify(container.envFrom ?? [])).not.toContain("orchestrator-git");
        // The pod's fsGroup makes the 0400 file readable by the orchestrator's group (root owns it).
        expect(podSpec(workload).securityContext.fsGroup).toBe(10001);
      }
      expect(egressPorts(objs, "orchestrator")).toContain(port);
      expect(find(objs, "StatefulSet", "git-server"), "no bundled git server beside a given remote").toEqual([]);
    },
  );

  it("takes known hosts from the values into a ConfigMap, and https credentials as a file git reads through its own config", () => {
    const objs = render({
      set: {
        "workRemote.url": "https://git.example.com/platform/work.git",
        "workRemote.existingSecret": "orchestrator-git",
        "workRemote.https.credentialsKey": "git-credentials",
      },
    });
    const { workload, container } = orchestrators(objs)[0]!;
    const { vars } = containerEnv(objs, container);
    expect(vars.has("ORCHESTRATOR_GIT_SSH_KEY")).toBe(false);
    const gitconfigPath = vars.get("GIT_CONFIG_GLOBAL")!.value!;
    const gitconfig = fileSource(workload, container, gitconfigPath)!;
    expect(gitconfig).toMatchObject({ kind: "configMap", readOnly: true });
    const text = (
      find(objs, "ConfigMap").find((c) => c.metadata.name === gitconfig.ref!.name)!.data as Record<string, string>
    )[gitconfig.ref!.key]!;
    const storeFile = /credential-store --file=(\S+) get/.exec(text)![1]!;
    expect(fileSource(workload, container, storeFile)).toMatchObject({
      kind: "secret",
      ref: { name: "orchestrator-git", key: "git-credentials" },
      mode: 0o400,
    });
    expect(egressPorts(objs, "orchestrator")).toContain(443);

    const withHosts = render({
      set: { ...SSH, "workRemote.ssh.knownHostsKey": "", "workRemote.ssh.knownHosts": KNOWN_HOSTS },
    });
    const o = orchestrators(withHosts)[0]!;
    const hosts = fileSource(o.workload, o.container, "/home/orchestrator/.ssh/known_hosts")!;
    expect(hosts).toMatchObject({ kind: "configMap", mode: 0o444 });
    expect(
      (
        find(withHosts, "ConfigMap").find((c) => c.metadata.name === hosts.ref!.name)!.data as Record<string, string>
      ).known_hosts!.trim(),
    ).toBe(KNOWN_HOSTS);
  });

  it("bundles an authenticated git server while workRemote.url is empty: its volume, its Service, its password in a Secret, reached only by the orchestrator", () => {
    const objs = render({});
    const [sts, ...more] = find(objs, "StatefulSet", "git-server");
    expect(sts && more.length === 0).toBe(true);
    /* eslint-disable @typescript-eslint/no-explicit-any */
    const spec = (sts as any).spec;
    expect(spec.replicas).toBe(1);
    const server = spec.template.spec.containers[0];
    expect(server.args).toEqual(["node", "--import", "tsx", "deploy/git-server/main.ts"]);
    const root = server.env.find((e: any) => e.name === "GIT_SERVER_ROOT").value;
    expect(spec.volumeClaimTemplates.map((v: any) => v.metadata.name)).toEqual([
      server.volumeMounts.find((m: any) => m.mountPath === root).name,
    ]);
    const password = containerEnv(objs, server).vars.get("GIT_SERVER_PASSWORD")!;
    expect(password.source).toBe("secret");
    expect(password.value!.length).toBeGreaterThanOrEqual(32);

    const service = find(objs, "Service", "git-server")[0]!;
    const { workload, container } = orchestrators(objs)[0]!;
    const { vars } = containerEnv(objs, container);
    expect(vars.get("ORCHESTRATOR_WORK_REMOTE")!.value).toBe(`http://${service.metadata.name}:8080/work.git`);
    // The orchestrator reads the same password as a file, through the gitconfig's helper.
    expect(fileSource(workload, container, "/run/orchestrator/git/git-server-password")).toMatchObject({
      kind: "secret",
      ref: password.ref,
      mode: 0o400,
    });
    expect(vars.get("GIT_CONFIG_GLOBAL")!.value).toBe("/run/orchestrator/git/gitconfig");

    const policy = find(objs, "NetworkPolicy", "git-server")[0]! as any;
    expect(policy.spec.ingress).toHaveLength(1);
    expect(policy.spec.ingress[0].from).toEqual([
      { podSelector: { matchLabels: expect.objectContaining({ "app.kubernetes.io/component": "orchestrator" }) } },
    ]);
    expect(policy.spec.egress).toEqual([]);
    expect(find(objs, "NetworkPolicy", "orchestrator")[0]!.spec as any).toMatchObject({
      egress: expect.arrayContaining([
        {
          to: [
            { podSelector: { matchLabels: expect.objectContaining({ "app.kubernetes.io/component": "git-server" }) } },
          ],
          ports: [{ protocol: "TCP", port: 8080 }],
        },
      ]),
    });
    /* eslint-enable @typescript-eslint/no-explicit-any */
  });
});

describe("chart: the repositories volume", () => {
  it("is absent by default, and mounted at /srv/repos (the workspace root) when a claim is given", () => {
    for (const [set, claim] of [
      [{}, undefined],
      [{ "orchestrator.repositoriesClaim": "team-repos" }, "team-repos"],
    ] as const) {
      const objs = render({ set });
      for (const { workload, container } of orchestrators(objs)) {
        const volumes = podSpec(workload).volumes as { name: string; persistentVolumeClaim?: { claimName: string } }[];
        const mounted = fileSource(workload, container, "/srv/repos");
        if (claim === undefined) {
          expect(volumes.filter((v) => v.persistentVolumeClaim)).toEqual([]);
          expect(mounted, "nothing mounted at /srv/repos").toBeUndefined();
        } else {
          expect(mounted).toMatchObject({ kind: "persistentVolumeClaim" });
          expect(volumes.find((v) => v.name === mounted!.volume)!.persistentVolumeClaim!.claimName).toBe(claim);
        }
        expect(containerEnv(objs, container).vars.get("ORCHESTRATOR_WORKSPACE_ROOTS")!.value).toBe("/srv/repos");
      }
    }
  });
});

describe("docker-compose.yml: one work remote for every orchestrator", () => {
  type Service = {
    build?: { dockerfile?: string };
    image?: string;
    environment?: string[] | Record<string, string>;
    volumes?: string[];
  };
  const doc = interpolateDocument(
    parse(read("docker-compose.yml")) as { services: Record<string, Service>; volumes: Record<string, unknown> },
    generatedDotEnv(),
  );

  it("parses, and every orchestrator service pushes to the same bare repository on a shared named volume, not its own data dir", () => {
    expect(doc.missing).toEqual([]);
    const services = Object.entries(doc.value.services).filter(
      ([, s]) => s.build?.dockerfile === "Dockerfile" || /^industrial-orchestrator:/.test(s.image ?? ""),
    );
    expect(services.map(([n]) => n)).toContain("orchestrator");
    const remotes = services.map(([name, s]) => {
      const remote = serviceEnvironment(s.environment).ORCHESTRATOR_WORK_REMOTE;
      expect(remote, `${name}: ORCHESTRATOR_WORK_REMOTE`).toMatch(/^\//);
      const mounts = (s.volumes ?? []).map((v) => ({ source: v.split(":")[0]!, target: v.split(":")[1]! }));
      const mount = mounts
        .filter((m) => remote!.startsWith(`${m.target}/`))
        .sort((a, b) => b.target.length - a.target.length)[0];
      expect(mount, `${name}: ${remote} is on a volume`).toBeDefined();
      expect(
        Object.keys(doc.value.volumes),
        `${name}: ${mount!.source} is a named volume every service can mount`,
      ).toContain(mount!.source);
      const data = serviceEnvironment(s.environment).ORCHESTRATOR_DATA_DIR!;
      expect(remote!.startsWith(`${data}/`), "outside the data dir").toBe(false);
      return { remote, volume: mount!.source, target: mount!.target };
    });
    expect(new Set(remotes.map((r) => JSON.stringify(r))).size).toBe(1);
  });

  it("starts the volume from the image's empty bare repository at that path, owned by the orchestrator's user", () => {
    const remote = serviceEnvironment(doc.value.services.orchestrator!.environment).ORCHESTRATOR_WORK_REMOTE!;
    const runtime = parseDockerfile(read("Dockerfile")).stages.at(-1)!;
    const run = ops(runtime, "RUN").find((r) => r.args.includes("git init"))!;
    expect(run.args).toMatch(new RegExp(`git init (--quiet )?--bare ${remote.replace(/[.]/g, "\\.")}\\b`));
    expect(run.args).toMatch(new RegExp(`chown -R orchestrator:orchestrator [^&]*${posix.dirname(remote)}\\b`));
  });
});

describe("the bundled git server's Secret", () => {
  it("is left empty in the plain manifests for the operator, like the other passwords", () => {
    const objs = parseManifests(read("deploy/kubernetes/11-secret.yaml"));
    expect(secretData(objs.find((o) => component(o) === "git-server")!)).toEqual({ GIT_SERVER_PASSWORD: "" });
  });
});
