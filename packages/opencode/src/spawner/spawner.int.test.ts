import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isProcessAlive } from "../runner/process-control";
import { GitCommandError, runGit } from "../workspace/run-git";
import { afterAll, describe, expect, it } from "vitest";
import { spawnViaHost, stopSpawnerHost } from "./spawner";

// Commands run from the spawner's small process (real git, real processes).
const dir = mkdtempSync(join(tmpdir(), "spawner-"));
afterAll(() => {
  stopSpawnerHost();
  rmSync(dir, { recursive: true, force: true });
});
const env = { PATH: process.env.PATH ?? "" };
const parentOf = async () =>
  Number(
    (await spawnViaHost("sh", ["-c", "echo $PPID"], { cwd: dir, env, timeoutMs: 5000, maxBuffer: 1024 })).stdout.trim(),
  );

describe("the spawner", () => {
  it("runs a command from its own process, not the orchestrator's, with the output and exit code execFile gives", async () => {
    const host = await parentOf();
    expect(host).not.toBe(process.pid);
    expect(isProcessAlive(host)).toBe(true);
    expect(await parentOf()).toBe(host);
    const r = await spawnViaHost("sh", ["-c", "printf 'out\\n'; printf 'err\\n' >&2; exit 3"], {
      cwd: dir,
      env,
      timeoutMs: 5000,
      maxBuffer: 1024,
    });
    expect(r).toMatchObject({ stdout: "out\n", stderr: "err\n", failure: { code: 3, killed: false } });
  });

  it("git through it: answers, refusals with git's stderr, a folder that is not there, a timeout", async () => {
    expect((await runGit(["init", "--quiet"], { cwd: dir })).exitCode).toBe(0);
    expect(
      (await runGit(["rev-parse", "--verify", "--quiet", "HEAD"], { cwd: dir, allowExitCodes: [1] })).exitCode,
    ).toBe(1);
    const refused = await runGit(["checkout", "no-such-branch"], { cwd: dir }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(GitCommandError);
    expect(refused).toMatchObject({ exitCode: 1, timedOut: false });
    expect((refused as GitCommandError).stderr).toMatch(/no-such-branch/);
    const missing = await runGit(["status"], { cwd: join(dir, "gone") }).catch((e: unknown) => e);
    expect(missing).toMatchObject({ exitCode: null, timedOut: false });
    expect((missing as Error).message).toMatch(
      /could not run in .*: spawn git ENOENT \(is git on PATH and does the folder exist\?\)/,
    );
    // Reads stdin, which stays open: only the timeout ends it.
    const hung = await runGit(["hash-object", "--stdin"], { cwd: dir, timeoutMs: 300 }).catch((e: unknown) => e);
    expect(hung).toMatchObject({ timedOut: true, exitCode: null });
    expect((hung as Error).message).toMatch(/timed out after 300 ms/);
  });

  it("an output larger than the helper passes back is read again here, whole; arguments execFile refuses fail the call, not the helper", async () => {
    const host = await parentOf();
    const big = await spawnViaHost("sh", ["-c", "head -c 40000000 /dev/zero | tr '\\0' a"], {
      cwd: dir,
      env,
      timeoutMs: 30_000,
      maxBuffer: 64 * 1024 * 1024,
    });
    expect(big.failure).toBeNull();
    expect(big.stdout.length).toBe(40_000_000);
    const refused = await spawnViaHost("sh", ["-c", "echo a\u0000b"], {
      cwd: dir,
      env,
      timeoutMs: 5000,
      maxBuffer: 1024,
    });
    expect(refused.failure).toMatchObject({ code: "ERR_INVALID_ARG_VALUE" });
    expect(await parentOf()).toBe(host);
  }, 60_000);

  it("a helper that dies fails the calls in flight as commands that could not run, and the next call starts a new one", async () => {
    const host = await parentOf();
    const inFlight = spawnViaHost("sleep", ["5"], { cwd: dir, env, timeoutMs: 10_000, maxBuffer: 1024 });
    await new Promise((r) => setTimeout(r, 100));
    process.kill(host, "SIGKILL");
    expect((await inFlight).failure).toMatchObject({
      code: null,
      message: expect.stringMatching(/spawner process exited/),
    });
    const next = await parentOf();
    expect(next).not.toBe(host);
    expect(isProcessAlive(next)).toBe(true);
  });

  it("never keeps a process alive, and goes with it", async () => {
    // A process that makes one git call and has nothing else to do exits at once; its helper follows.
    const script = `import { runGit } from ${JSON.stringify(join(import.meta.dirname, "../workspace/run-git.ts"))};
      const r = await runGit(["--version"], { cwd: "/" });
      const host = Number((await (await import(${JSON.stringify(join(import.meta.dirname, "spawner.ts"))})).spawnViaHost("sh", ["-c", "echo $PPID"], { cwd: "/", env: { PATH: process.env.PATH }, timeoutMs: 5000, maxBuffer: 1024 })).stdout);
      console.log(JSON.stringify({ version: r.stdout.trim(), host }));`;
    const out = await new Promise<string>((resolve, reject) =>
      execFile(
        process.execPath,
        ["--import", "tsx", "--input-type=module", "-e", script],
        { timeout: 30_000 },
        (e, stdout) => (e ? reject(e) : resolve(stdout)),
      ),
    );
    const { version, host } = JSON.parse(out) as { version: string; host: number };
    expect(version).toMatch(/^git version/);
    const deadline = Date.now() + 5000;
    while (isProcessAlive(host) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(isProcessAlive(host)).toBe(false);
  }, 60_000);
});
