import { execFile } from "node:child_process";
import { mkdirSync, rmSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { DEFAULT_AGENT_SANDBOX } from "@industrial/core";
import { createSandbox, probeSandbox } from "@industrial/opencode";

const run = promisify(execFile);

/**
 * What entering the sandbox costs one command: the same trivial command
 * (`true`) run `runs` times as OpenCode runs a bash tool command — through
 * `/bin/bash -c` (the baseline) and through the sandbox shell from a
 * session's folder with the default policy (policy lookup, limits, bwrap's
 * namespaces and mounts). Null when bubblewrap does not work here.
 */
export async function benchSandbox(runs: number): Promise<{ baselineMs: number; sandboxedMs: number } | null> {
  const probe = await probeSandbox();
  if (!probe.available) return null;
  const root = mkdtempSync(join(tmpdir(), "bench-sandbox-"));
  try {
    const folder = join(root, "data", "workspaces", "abcd1234");
    mkdirSync(folder, { recursive: true });
    const sandbox = await createSandbox({
      dir: join(root, "data", "opencode", "sandbox"),
      bwrap: probe.bwrap,
      hidden: [join(root, "data")],
    });
    await sandbox.prepare(folder, DEFAULT_AGENT_SANDBOX);
    const time = async (shell: string) => {
      await run(shell, ["-c", "true"], { cwd: folder });
      const t0 = performance.now();
      for (let i = 0; i < runs; i++) await run(shell, ["-c", "true"], { cwd: folder });
      return (performance.now() - t0) / runs;
    };
    const baselineMs = await time("/bin/bash");
    const sandboxedMs = await time(sandbox.shell);
    return { baselineMs, sandboxedMs };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
