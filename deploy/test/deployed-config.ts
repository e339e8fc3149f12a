import { tmpdir } from "node:os";
import { parseConfig, type ConfigResult } from "../../apps/server/src/config";
import { ops, parseDockerfile } from "./dockerfile";
import { read } from "./repo";

/**
 * config.ts checks that every workspace root exists, and the roots our
 * deployments name (/srv/repos) exist in the container, not on this machine.
 * So a deployment's environment is parsed with the roots the image creates or
 * a volume mounts swapped for a directory that exists here; any other root is
 * parsed as it is, and fails.
 */

/** The directories the orchestrator image creates (`mkdir -p …` in its runtime stage). */
export function imageDirectories(): string[] {
  const runtime = parseDockerfile(read("Dockerfile")).stages.at(-1)!;
  return ops(runtime, "RUN").flatMap((r) =>
    [...r.args.matchAll(/mkdir -p ((?:\/\S+\s*)+)/g)].flatMap((m) => m[1]!.trim().split(/\s+/)),
  );
}

/** The workspace roots an environment names (absent: none named, the server's default). */
export function workspaceRoots(env: Record<string, string | undefined>): string[] {
  return (env.ORCHESTRATOR_WORKSPACE_ROOTS ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
}

/** parseConfig of a container's environment; roots in `provided` (image directories, mount paths) count as existing. */
export function parseDeployedConfig(
  env: Record<string, string | undefined>,
  provided: string[],
  cwd = "/app",
): ConfigResult {
  const roots = workspaceRoots(env).map((r) => (provided.includes(r) ? tmpdir() : r));
  return parseConfig({ ...env, ...(roots.length ? { ORCHESTRATOR_WORKSPACE_ROOTS: roots.join(",") } : {}) }, cwd);
}
