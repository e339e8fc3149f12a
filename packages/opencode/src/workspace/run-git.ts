import { spawnViaHost } from "../spawner/spawner";

/**
 * The single door to git: every git command of the workspace module goes
 * through `runGit`, so the safety settings below apply to all of them and no
 * other file starts git.
 */

/** Identity of every commit the orchestrator writes, whatever the user's config says. */
export const GIT_IDENTITY = { name: "Industrial Orchestrator", email: "orchestrator@localhost" } as const;

/** Used when a caller passes no timeout: long enough for `add -A` on a big tree, short enough to notice a hang. */
export const DEFAULT_GIT_TIMEOUT_MS = 60_000;

/** Output beyond this fails the call (execFile buffers it all in memory). */
const DEFAULT_MAX_BUFFER_BYTES = 256 * 1024 * 1024;

// `-c` settings that win over system, global and repository config.
const SAFETY_CONFIG = [
  `user.name=${GIT_IDENTITY.name}`,
  `user.email=${GIT_IDENTITY.email}`,
  // Never run the user's hooks (pre-commit, post-checkout, reference-transaction…):
  // they are arbitrary programs, slow, and may refuse our checkpoint commits.
  "core.hooksPath=/dev/null",
  // An fsmonitor is another user-configured program.
  "core.fsmonitor=false",
  // Signing may prompt for a passphrase and hang until the timeout.
  "commit.gpgSign=false",
  "tag.gpgSign=false",
  // No background auto-gc/maintenance forking off and racing the next command.
  "gc.auto=0",
  "maintenance.auto=false",
  // Stable, parseable output.
  "core.quotePath=false",
  "color.ui=false",
  "advice.detachedHead=false",
].flatMap((setting) => ["-c", setting]);

// Inherited variables that would point git at another repository or index,
// override our identity, or inject config from a parent git process.
const INHERITED_GIT_VARS_TO_DROP =
  /^GIT_(DIR|WORK_TREE|INDEX_FILE|OBJECT_DIRECTORY|ALTERNATE_OBJECT_DIRECTORIES|COMMON_DIR|NAMESPACE|PREFIX|QUARANTINE_PATH|AUTHOR_\w+|COMMITTER_\w+|CONFIG_PARAMETERS|CONFIG_COUNT|CONFIG_KEY_\d+|CONFIG_VALUE_\d+)$/;

export interface RunGitOptions {
  cwd: string;
  /** Extra variables (e.g. `GIT_INDEX_FILE`), applied after the safe defaults. */
  env?: Record<string, string>;
  timeoutMs?: number;
  maxBufferBytes?: number;
  /** Non-zero exit codes that are answers, not failures (`merge-base --is-ancestor` → 1). */
  allowExitCodes?: readonly number[];
}

export interface GitResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

/** git exited with an unexpected code, timed out, or could not start. Carries git's stderr. */
export class GitCommandError extends Error {
  constructor(
    readonly args: readonly string[],
    readonly cwd: string,
    readonly exitCode: number | null,
    readonly stderr: string,
    readonly timedOut: boolean,
    cause: unknown,
    timeoutMs: number,
  ) {
    const what = timedOut
      ? `timed out after ${timeoutMs} ms`
      : exitCode === null
        ? "could not run"
        : `failed (exit ${exitCode})`;
    // Without stderr, a spawn failure's own message is the only clue; execFile's
    // "Command failed: <whole command line>" adds nothing to the args above.
    const spawnProblem =
      exitCode === null && !timedOut && cause instanceof Error
        ? `${cause.message} (is git on PATH and does the folder exist?)`
        : "";
    const detail = stderr.trim() || spawnProblem;
    super(`git ${args.join(" ")} ${what} in ${cwd}${detail ? `: ${detail}` : ""}`, { cause });
    this.name = "GitCommandError";
  }
}

/**
 * Runs `git <args>` in `cwd` without a shell, with the safety settings above,
 * no pager and a timeout. Resolves with the output; rejects with a
 * `GitCommandError` unless the exit code is 0 or listed in `allowExitCodes`.
 */
export async function runGit(args: readonly string[], options: RunGitOptions): Promise<GitResult> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_GIT_TIMEOUT_MS;
  // From the spawner's small process: a fork from ours blocks the event loop for tens of ms (spawner.ts).
  const { failure, stdout, stderr } = await spawnViaHost("git", ["--no-pager", ...SAFETY_CONFIG, ...args], {
    cwd: options.cwd,
    env: gitEnv(options.env),
    timeoutMs,
    maxBuffer: options.maxBufferBytes ?? DEFAULT_MAX_BUFFER_BYTES,
  });
  if (!failure) return { stdout, stderr, exitCode: 0 };
  const exitCode = typeof failure.code === "number" ? failure.code : null;
  if (exitCode !== null && options.allowExitCodes?.includes(exitCode)) return { stdout, stderr, exitCode };
  // execFile kills the child on timeout and reports `killed` with our signal.
  const timedOut = failure.killed && exitCode === null && failure.signal === "SIGTERM";
  throw new GitCommandError(
    args,
    options.cwd,
    exitCode,
    stderr,
    timedOut,
    Object.assign(new Error(failure.message), { code: failure.code }),
    timeoutMs,
  );
}

/** The child's environment: ours minus repository-redirecting variables, plus fixed settings. */
function gitEnv(extra: Record<string, string> | undefined): Record<string, string> {
  // Passing `env` replaces the inherited environment, so copy it (PATH, HOME for
  // the user's global config) before filtering; this is not reading configuration.
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !INHERITED_GIT_VARS_TO_DROP.test(key)) env[key] = value;
  }
  return {
    ...env,
    // author.name / committer.name in the user's config beat user.name; these beat both.
    GIT_AUTHOR_NAME: GIT_IDENTITY.name,
    GIT_AUTHOR_EMAIL: GIT_IDENTITY.email,
    GIT_COMMITTER_NAME: GIT_IDENTITY.name,
    GIT_COMMITTER_EMAIL: GIT_IDENTITY.email,
    // Never wait for a credential prompt or an editor that nobody will answer.
    GIT_TERMINAL_PROMPT: "0",
    GIT_EDITOR: "true",
    // Read-only commands (status, diff) must not take index.lock behind our back.
    GIT_OPTIONAL_LOCKS: "0",
    // English messages, so the stderr we put in errors (and match on) is stable.
    LC_ALL: "C",
    ...extra,
  };
}
