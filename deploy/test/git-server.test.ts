import { execFileSync, spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseManifests, renderChart, type K8sObject } from "../tools/chart";
import { ensureHelm } from "../tools/helm";
import { find } from "./k8s-checks";
import { containerEnv, containers, fileSource, secretData } from "./pod-env";
import { ROOT } from "./repo";

/**
 * The chart's bundled work remote and the orchestrator's git credentials, for
 * real: the git server started with the StatefulSet's own arguments and
 * environment, and git run as the orchestrator runs it, with the gitconfig
 * and the credential files laid out as the pod mounts them (paths moved into
 * a temporary folder, the Service's address moved to 127.0.0.1). Then the
 * pushes the orchestrator makes: the session branch with --force-with-lease,
 * checkpoint refs, a pack larger than git's post buffer (sent chunked).
 */

/* eslint-disable @typescript-eslint/no-explicit-any -- rendered objects are untyped YAML */
type Container = { name: string; args?: string[]; env?: any[]; volumeMounts?: any[] };

let helm = "";
let dir = "";
const children: ChildProcess[] = [];

beforeAll(() => {
  helm = ensureHelm();
  dir = mkdtempSync(join(tmpdir(), "git-server-"));
}, 300_000);

afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill("SIGKILL");
  rmSync(dir, { recursive: true, force: true });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

const component = (o: K8sObject) => o.metadata.labels?.["app.kubernetes.io/component"];

/** The git server as the StatefulSet runs it, on a local port and folder. */
async function startGitServer(
  objs: K8sObject[],
  overrides: Record<string, string> = {},
): Promise<{ port: number; root: string; child: ChildProcess; output: () => string }> {
  const { container } = containers(objs).find((c) => component(c.workload) === "git-server")! as unknown as {
    container: Container;
  };
  const env = Object.fromEntries([...containerEnv(objs, container).vars].map(([k, v]) => [k, v.value ?? ""]));
  const port = await freePort();
  const root = mkdtempSync(join(dir, "srv-"));
  const [bin, ...args] = container.args!;
  // The image's WORKDIR is the repository's root (/app).
  const child = spawn(bin!, args, {
    cwd: ROOT,
    env: { PATH: process.env.PATH, ...env, GIT_SERVER_ROOT: root, GIT_SERVER_PORT: String(port), ...overrides },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  let out = "";
  child.stdout!.on("data", (c) => (out += c));
  child.stderr!.on("data", (c) => (out += c));
  return { port, root, child, output: () => out };
}

async function waitReady(port: number): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the git server on ${port} did not answer`);
}

/**
 * The orchestrator's side: its gitconfig and every file of its `git` volume,
 * written where the pod mounts them but under `home`; returns git's
 * environment (as the server's runGit builds it) and the work remote's URL.
 */
function orchestratorGit(
  objs: K8sObject[],
  local: { from: string; to: string } | null,
  files: Record<string, string> = {},
) {
  const { workload, container } = containers(objs).find((c) => component(c.workload) === "orchestrator")!;
  const { vars } = containerEnv(objs, container);
  const home = mkdtempSync(join(dir, "pod-"));
  const inPod = (path: string) => join(home, path);
  const move = (text: string) => (local ? text.split(local.from).join(local.to) : text);
  const gitconfigPath = vars.get("GIT_CONFIG_GLOBAL")!.value!;
  // Every file of the volume the gitconfig is on, as the kubelet projects them.
  const mount = (container.volumeMounts as { name: string; mountPath: string }[]).find(
    (m) => m.mountPath === dirname(gitconfigPath),
  )!;
  const volume = (workload as any).spec.template.spec.volumes.find((v: any) => v.name === mount.name);
  const projected: string[] = volume.projected.sources.flatMap((s: any) =>
    (s.secret ?? s.configMap).items.map((i: any) => join(mount.mountPath, i.path)),
  );
  for (const path of new Set([...projected, ...Object.keys(files)])) {
    const source = fileSource(workload, container, path)!;
    const obj = find(objs, source.kind === "secret" ? "Secret" : "ConfigMap").find(
      (o) => o.metadata.name === source.ref!.name,
    );
    const data =
      files[path] ??
      (source.kind === "secret" ? secretData(obj!) : (obj!.data as Record<string, string>))[source.ref!.key]!;
    mkdirSync(dirname(inPod(path)), { recursive: true });
    // Every path the gitconfig names is under the same mount: it moves with it.
    writeFileSync(
      inPod(path),
      path === gitconfigPath
        ? move(data)
            .split(dirname(gitconfigPath))
            .join(dirname(inPod(gitconfigPath)))
        : data,
      { mode: 0o400 },
    );
  }
  const env = {
    PATH: process.env.PATH!,
    HOME: home,
    GIT_CONFIG_GLOBAL: inPod(gitconfigPath),
    GIT_CONFIG_NOSYSTEM: "1",
    GIT_TERMINAL_PROMPT: "0",
    LC_ALL: "C",
  };
  return { env, url: move(vars.get("ORCHESTRATOR_WORK_REMOTE")!.value!), home };
}

function git(cwd: string, env: Record<string, string>, ...args: string[]): string {
  return execFileSync("git", args, { cwd, env, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();
}
function gitFails(cwd: string, env: Record<string, string>, ...args: string[]): string {
  const r = spawnSync("git", args, { cwd, env, encoding: "utf8" });
  expect(r.status, `git ${args.join(" ")} should fail`).not.toBe(0);
  return r.stderr;
}

/** A session repository with a commit of its own (author set: HOME has no identity). */
function sessionRepo(env: Record<string, string>): string {
  const repo = mkdtempSync(join(dir, "session-"));
  const id = ["-c", "user.name=orchestrator", "-c", "user.email=orchestrator@localhost"];
  git(repo, env, "init", "--quiet");
  writeFileSync(join(repo, "one.txt"), "first\n");
  // Random bytes do not compress: the pack passes git's 1 MiB post buffer and goes chunked.
  writeFileSync(join(repo, "big.bin"), randomBytes(3 * 1024 * 1024));
  git(repo, env, "add", ".");
  git(repo, env, ...id, "commit", "--quiet", "-m", "checkpoint 1");
  writeFileSync(join(repo, "two.txt"), "second\n");
  git(repo, env, "add", ".");
  git(repo, env, ...id, "commit", "--quiet", "-m", "checkpoint 2");
  return repo;
}

describe("the bundled git server, with the orchestrator's credentials as the chart mounts them", () => {
  let objs: K8sObject[] = [];
  let server: Awaited<ReturnType<typeof startGitServer>>;
  let local: { from: string; to: string };
  beforeAll(async () => {
    objs = parseManifests(renderChart(helm));
    server = await startGitServer(objs);
    await waitReady(server.port);
    const service = find(objs, "Service", "git-server")[0]!.metadata.name;
    local = { from: `http://${service}:8080`, to: `http://127.0.0.1:${server.port}` };
  }, 60_000);

  it("takes the orchestrator's pushes: the session branch with its lease, checkpoint refs, a large pack; and serves them back", () => {
    const { env, url } = orchestratorGit(objs, local);
    expect(url).toBe(`${local.to}/work.git`);
    const repo = sessionRepo(env);
    const [second, first] = git(repo, env, "rev-list", "-2", "HEAD").split("\n") as [string, string];
    git(
      repo,
      env,
      "push",
      "--quiet",
      "--force-with-lease=refs/heads/orchestrator/abcd1234:",
      url,
      `${first}:refs/heads/orchestrator/abcd1234`,
      `${first}:refs/orchestrator/checkpoints/abcd1234/1`,
    );
    git(
      repo,
      env,
      "push",
      "--quiet",
      `--force-with-lease=refs/heads/orchestrator/abcd1234:${first}`,
      url,
      `${second}:refs/heads/orchestrator/abcd1234`,
      `${second}:refs/orchestrator/checkpoints/abcd1234/2`,
    );
    // A holder that expects an older commit is refused: the git side of fencing.
    expect(
      gitFails(
        repo,
        env,
        "push",
        `--force-with-lease=refs/heads/orchestrator/abcd1234:${first}`,
        url,
        `${first}:refs/heads/orchestrator/abcd1234`,
      ),
    ).toMatch(/stale info|rejected/);
    // A restore moves the branch back, with the lease on what it holds.
    git(
      repo,
      env,
      "push",
      "--quiet",
      `--force-with-lease=refs/heads/orchestrator/abcd1234:${second}`,
      url,
      `${first}:refs/heads/orchestrator/abcd1234`,
    );
    const refs = Object.fromEntries(
      git(repo, env, "ls-remote", url)
        .split("\n")
        .map((l) => l.split("\t").reverse()),
    );
    expect(refs).toMatchObject({
      "refs/heads/orchestrator/abcd1234": first,
      "refs/orchestrator/checkpoints/abcd1234/1": first,
      "refs/orchestrator/checkpoints/abcd1234/2": second,
    });

    const clone = mkdtempSync(join(dir, "recreated-"));
    git(clone, env, "init", "--quiet");
    git(clone, env, "fetch", "--quiet", url, "+refs/orchestrator/checkpoints/abcd1234/*:refs/checkpoints/*");
    expect(git(clone, env, "show", "refs/checkpoints/2:two.txt")).toBe("second");
    expect(git(clone, env, "cat-file", "-s", "refs/checkpoints/2:big.bin")).toBe(String(3 * 1024 * 1024));
  });

  it("refuses git without the password, with a wrong one, and offers the password to no other host", async () => {
    const { env, url } = orchestratorGit(objs, local);
    const repo = sessionRepo(env);
    const none = { ...env, GIT_CONFIG_GLOBAL: "/dev/null" };
    expect(gitFails(repo, none, "ls-remote", url)).toMatch(/could not read Username|Authentication failed/);
    const passwordFile = "/run/orchestrator/git/git-server-password";
    const wrong = orchestratorGit(objs, local, { [passwordFile]: "not-the-password-0123456789" });
    expect(gitFails(repo, wrong.env, "push", url, "HEAD:refs/heads/intruder")).toMatch(/Authentication failed/);
    const fill = spawnSync("git", ["credential", "fill"], {
      env,
      input: "protocol=https\nhost=repositories.example.com\n\n",
      encoding: "utf8",
    });
    expect(fill.stdout).not.toContain(readFileSync(join(orchestratorGit(objs, local).home, passwordFile), "utf8"));
    expect(fill.status).not.toBe(0);
    // Only the probes' path answers without a password, and says nothing but that it is up.
    expect((await fetch(`${local.to}/work.git/info/refs?service=git-upload-pack`)).status).toBe(401);
    expect(await (await fetch(`${local.to}/healthz`)).text()).toBe("ok\n");
  });

  it("keeps its repositories across a restart, and refuses to start on an empty password", async () => {
    server.child.kill("SIGTERM");
    await new Promise((r) => server.child.once("exit", r));
    expect(server.output()).toMatch(/"msg":"stopping"/);
    const again = await startGitServer(objs, { GIT_SERVER_ROOT: server.root });
    await waitReady(again.port);
    expect(again.output()).not.toMatch(/"msg":"created"/);
    const { env, url } = orchestratorGit(objs, { from: local.from, to: `http://127.0.0.1:${again.port}` });
    expect(git(dir, env, "ls-remote", url, "refs/orchestrator/checkpoints/abcd1234/2")).toMatch(/^[0-9a-f]{40}\t/);

    const empty = await startGitServer(objs, { GIT_SERVER_PASSWORD: "" });
    const code = await new Promise((r) => empty.child.once("exit", r));
    expect(code).toBe(1);
    expect(empty.output()).toMatch(/GIT_SERVER_PASSWORD: must be at least 16 characters/);
  }, 60_000);
});

describe("https credentials from workRemote.existingSecret, through the chart's gitconfig", () => {
  it("answers for their own host from the credential store file, and git pushes with them", async () => {
    const bundled = parseManifests(renderChart(helm));
    const server = await startGitServer(bundled);
    await waitReady(server.port);
    const password = secretData(find(bundled, "Secret", "git-server")[0]!).GIT_SERVER_PASSWORD!;
    const objs = parseManifests(
      renderChart(helm, {
        set: {
          "workRemote.url": "https://git.example.com/platform/work.git",
          "workRemote.existingSecret": "orchestrator-git",
          "workRemote.https.credentialsKey": "git-credentials",
        },
      }),
    );
    const store = `https://deploy-bot:not-this-one@git.example.com\nhttp://orchestrator:${password}@127.0.0.1:${server.port}\n`;
    const { env } = orchestratorGit(objs, null, { "/run/orchestrator/git/git-credentials": store });
    const repo = sessionRepo(env);
    git(
      repo,
      env,
      "push",
      "--quiet",
      `http://127.0.0.1:${server.port}/work.git`,
      "HEAD:refs/heads/orchestrator/feedbeef",
    );
    expect(
      git(repo, env, "ls-remote", `http://127.0.0.1:${server.port}/work.git`, "refs/heads/orchestrator/feedbeef"),
    ).toContain(git(repo, env, "rev-parse", "HEAD"));
    const fill = (host: string) =>
      spawnSync("git", ["credential", "fill"], { env, input: `protocol=https\nhost=${host}\n\n`, encoding: "utf8" });
    expect(fill("git.example.com").stdout).toContain("password=not-this-one");
    expect(fill("elsewhere.example.com").stdout).not.toContain("password=");
    // git's `store` after a success is not passed on: the mounted file is read-only.
    const approve = spawnSync("git", ["credential", "approve"], {
      env,
      input: "protocol=https\nhost=new.example.com\nusername=u\npassword=p\n\n",
      encoding: "utf8",
    });
    expect(approve.status).toBe(0);
    expect(approve.stderr).toBe("");
  }, 60_000);
});
