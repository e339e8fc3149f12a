import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { computeLeaseArgument, maskCredentialsInText, maskRemoteUrl } from "@industrial/core";
import { parsePushPorcelain, type RefPushResult } from "./push-porcelain";
import { GitCommandError, runGit } from "./run-git";

/**
 * The git repository every checkpoint is pushed to (docs/work-remote.md).
 * `url` may carry credentials: it goes to git and nowhere else; everything a
 * person or a log may see uses `display`.
 */
export interface WorkRemote {
  /** What git pushes to and fetches from: a URL or an absolute path. */
  url: string;
  /** `url` with its credentials masked: for logs, events, rows and answers. */
  display: string;
  /** Added to every git call that talks to the remote (`GIT_SSH_COMMAND` for a key file). */
  env: Readonly<Record<string, string>>;
  /** Timeout of one push, fetch or listing; a remote that hangs counts as unreachable. */
  timeoutMs: number;
}

/**
 * Describes the work remote. Credentials come only from the operator's git
 * setup (a credential helper, the SSH agent, or `sshKeyFile`, used alone:
 * `IdentitiesOnly` keeps the agent's other keys out of it).
 */
export function createWorkRemote(
  url: string,
  options: { sshKeyFile?: string | null; timeoutMs?: number } = {},
): WorkRemote {
  const env: Record<string, string> = {};
  if (options.sshKeyFile)
    env.GIT_SSH_COMMAND = `ssh -i ${shellQuote(options.sshKeyFile)} -o IdentitiesOnly=yes -o BatchMode=yes`;
  return { url, display: maskRemoteUrl(url), env, timeoutMs: options.timeoutMs ?? 60_000 };
}

// GIT_SSH_COMMAND is run by a shell: a key path with spaces or quotes must stay one word.
function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/**
 * The work remote could not be reached or answered with an error before any
 * ref was looked at (down, refused, timed out, no such repository, bad
 * credentials). Retried with backoff. Its message is masked.
 */
export class WorkRemoteUnavailableError extends Error {
  constructor(message: string, cause?: unknown) {
    super(message, { cause });
    this.name = "WorkRemoteUnavailableError";
  }
}

/** One ref to push: `lease` names the commit the remote ref must still hold (null: it must not exist); `fastForwardOnly` pushes without any force. */
export type RefUpdate = { ref: string; commit: string } & ({ lease: string | null } | { fastForwardOnly: true });

/**
 * Pushes commits of the repository at `cwd` to refs of the work remote, in
 * one `git push` without `--atomic`: each ref is accepted or refused on its
 * own (a refused branch lease does not keep a checkpoint ref out).
 * @returns one result per ref, in the order given.
 * @throws WorkRemoteUnavailableError when the push reached no ref.
 */
export async function pushToWorkRemote(
  cwd: string,
  remote: WorkRemote,
  updates: readonly RefUpdate[],
): Promise<RefPushResult[]> {
  if (updates.length === 0) return [];
  const leases = updates.flatMap((u) => ("lease" in u ? [computeLeaseArgument(u.ref, u.lease)] : []));
  const refspecs = updates.map((u) => `${u.commit}:${u.ref}`);
  const result = await remoteGit(
    cwd,
    remote,
    ["push", "--porcelain", "--no-verify", ...leases, "--", remote.url, ...refspecs],
    [1],
  );
  const byRef = new Map(parsePushPorcelain(result.stdout).map((r) => [r.ref, r]));
  if (byRef.size === 0) throw unavailable(`push to ${remote.display} failed`, result.stderr);
  return updates.map(
    (u) => byRef.get(u.ref) ?? { ref: u.ref, status: "rejected", summary: "git reported nothing for this ref" },
  );
}

/**
 * Deletes refs of the work remote, each only while it still holds the commit
 * named (`--force-with-lease=<ref>:<commit>`), in one push without
 * `--atomic`. git pushes only from a repository: an empty one is made for
 * the call and removed after.
 * @returns one result per ref, in the order given (`ok`: deleted; `stale`: it moved since).
 * @throws WorkRemoteUnavailableError when the push reached no ref.
 */
export async function deleteFromWorkRemote(
  remote: WorkRemote,
  deletions: readonly { ref: string; lease: string }[],
): Promise<RefPushResult[]> {
  if (deletions.length === 0) return [];
  const scratch = await mkdtemp(join(tmpdir(), "orch-ref-delete-"));
  try {
    await runGit(["init", "--quiet", "--bare"], { cwd: scratch });
    const leases = deletions.map((d) => computeLeaseArgument(d.ref, d.lease));
    const result = await remoteGit(
      scratch,
      remote,
      ["push", "--porcelain", "--no-verify", ...leases, "--", remote.url, ...deletions.map((d) => `:${d.ref}`)],
      [1],
    );
    const byRef = new Map(parsePushPorcelain(result.stdout).map((r) => [r.ref, r]));
    if (byRef.size === 0) throw unavailable(`deleting refs on ${remote.display} failed`, result.stderr);
    return deletions.map(
      (d) => byRef.get(d.ref) ?? { ref: d.ref, status: "rejected", summary: "git reported nothing for this ref" },
    );
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/**
 * The refs of the work remote matching `patterns` (`git ls-remote`; a
 * trailing `*` matches the rest of a name), as ref → commit. Only refs whose
 * full name matches a pattern are kept (git matches patterns against the tail).
 * @throws WorkRemoteUnavailableError when the remote cannot be listed.
 */
export async function listWorkRemoteRefs(
  remote: WorkRemote,
  patterns: readonly string[],
): Promise<Map<string, string>> {
  const result = await remoteGit(tmpdir(), remote, ["ls-remote", "--", remote.url, ...patterns]);
  const matches = (ref: string) => patterns.some((p) => (p.endsWith("*") ? ref.startsWith(p.slice(0, -1)) : ref === p));
  const refs = new Map<string, string>();
  for (const line of result.stdout.split("\n")) {
    const [commit, ref] = line.split("\t");
    if (commit && ref && matches(ref)) refs.set(ref, commit);
  }
  return refs;
}

/**
 * Fetches refs of the work remote into the repository at `cwd`
 * (`+<remote ref>:<local ref>` refspecs; no tags but those a refspec names).
 * `prune`: local refs the refspecs map to that the remote no longer has are deleted.
 * @throws WorkRemoteUnavailableError when the fetch fails.
 */
export async function fetchFromWorkRemote(
  cwd: string,
  remote: WorkRemote,
  refspecs: readonly string[],
  options: { prune?: boolean } = {},
): Promise<void> {
  const prune = options.prune ? ["--prune"] : [];
  await remoteGit(cwd, remote, [
    "fetch",
    "--quiet",
    "--no-tags",
    "--no-write-fetch-head",
    ...prune,
    "--",
    remote.url,
    ...refspecs,
  ]);
}

/**
 * The branch the remote's HEAD points at (`refs/heads/main`), or null when
 * it names none (an empty repository, a detached HEAD).
 * @throws WorkRemoteUnavailableError when the remote cannot be listed.
 */
export async function readRemoteHead(remote: WorkRemote): Promise<string | null> {
  const result = await remoteGit(tmpdir(), remote, ["ls-remote", "--symref", "--", remote.url, "HEAD"]);
  return /^ref: (refs\/heads\/\S+)\tHEAD$/m.exec(result.stdout)?.[1] ?? null;
}

// Every call that talks to the remote: its env, its timeout, and errors that never show the URL's credentials.
async function remoteGit(cwd: string, remote: WorkRemote, args: string[], allowExitCodes: number[] = []) {
  try {
    return await runGit(args, { cwd, env: { ...remote.env }, timeoutMs: remote.timeoutMs, allowExitCodes });
  } catch (e) {
    if (e instanceof GitCommandError) {
      const what = e.timedOut
        ? `timed out after ${remote.timeoutMs} ms`
        : e.exitCode === null
          ? "could not run git"
          : `exit ${e.exitCode}`;
      throw unavailable(`git ${args[0]} ${remote.display} failed (${what})`, e.stderr);
    }
    throw e;
  }
}

function unavailable(message: string, stderr: string): WorkRemoteUnavailableError {
  const detail = maskCredentialsInText(stderr.trim()).split("\n").slice(-3).join(" ").slice(0, 500);
  return new WorkRemoteUnavailableError(detail ? `${message}: ${detail}` : message);
}
