import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

/**
 * Finds the OpenCode binary. `opencode-ai`'s own `bin` is a stub that only
 * works after its postinstall hard-linked the platform binary over it
 * (`--ignore-scripts`, pnpm or a future npm break that), so we resolve the
 * platform package (`opencode-linux-x64`, …) and run its `bin/opencode`
 * directly.
 */

const require = createRequire(import.meta.url);

/** Platform package names to try, best first (`-baseline` builds run on CPUs without AVX2). */
export function computeBinaryPackages(platform: NodeJS.Platform, arch: string): string[] {
  const os = platform === "win32" ? "windows" : platform;
  const base = `opencode-${os}-${arch}`;
  const names = [base, `${base}-baseline`];
  if (os === "linux") names.push(`${base}-musl`, `${base}-baseline-musl`);
  return names;
}

export interface ResolveBinaryOptions {
  /** An explicit binary path; used as is when it exists. */
  override?: string;
  platform?: NodeJS.Platform;
  arch?: string;
}

/** Absolute path of the OpenCode binary; throws listing what was tried. */
export function resolveOpenCodeBinary(options: ResolveBinaryOptions = {}): string {
  if (options.override) {
    if (!existsSync(options.override)) throw new Error(`OpenCode binary override ${options.override} does not exist`);
    return options.override;
  }
  const platform = options.platform ?? process.platform;
  const packages = computeBinaryPackages(platform, options.arch ?? process.arch);
  const file = platform === "win32" ? "opencode.exe" : "opencode";
  for (const name of packages) {
    let pkg: string;
    try {
      pkg = require.resolve(`${name}/package.json`);
    } catch {
      continue;
    }
    const bin = join(dirname(pkg), "bin", file);
    if (existsSync(bin)) return bin;
  }
  throw new Error(
    `no OpenCode binary found: tried ${packages.join(", ")} (install opencode-ai with its optional dependencies, or pass an explicit binary path)`,
  );
}

/** `opencode --version` (≈1 s: the binary is a 185 MB single executable). */
export function getOpenCodeVersion(
  bin: string,
  options: { timeoutMs?: number; env?: NodeJS.ProcessEnv } = {},
): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      bin,
      ["--version"],
      { timeout: options.timeoutMs ?? 15_000, env: options.env ?? process.env },
      (error, stdout, stderr) => {
        if (error)
          return reject(
            new Error(`${bin} --version failed: ${error.message}${stderr ? `: ${stderr.trim()}` : ""}`, {
              cause: error,
            }),
          );
        const version = stdout.trim().split("\n").at(-1)?.trim() ?? "";
        if (!version) return reject(new Error(`${bin} --version printed nothing`));
        resolve(version);
      },
    );
  });
}
