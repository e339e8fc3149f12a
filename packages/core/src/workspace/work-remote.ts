/**
 * The work remote: the git repository every checkpoint is pushed to, so a
 * session's code outlives the replica that ran it (docs/work-remote.md).
 * Pure rules only: which remotes are accepted, how credentials in their
 * URLs are masked, the ref names, the lease argument, what a refused lease
 * means, and how verification reads the remote's refs.
 */

/** How the operator named the work remote. `scp` is git's `user@host:path` shorthand for SSH. */
export type WorkRemoteKind = "path" | "file" | "git" | "http" | "ssh" | "scp";

export type WorkRemoteParse = { ok: true; kind: WorkRemoteKind } | { ok: false; reason: string };

const SCHEME_KINDS: Record<string, WorkRemoteKind> = {
  file: "file",
  git: "git",
  http: "http",
  https: "http",
  ssh: "ssh",
};
// [user@]host:path where the host has no slash and does not start with "-" (git would read it as an option).
const SCP_LIKE = /^(?:[A-Za-z0-9._~%+-]+@)?[A-Za-z0-9_][A-Za-z0-9._-]*:(?!\/\/)\S+$/;

/**
 * Accepts a git URL (`file://`, `git://`, `http(s)://`, `ssh://`, `user@host:path`)
 * or an absolute path of a bare repository. Refused: relative paths (they would
 * depend on the working directory of each git call), git's remote helpers
 * (`ext::…` runs a command), other schemes, whitespace and control characters.
 */
export function parseWorkRemote(value: string): WorkRemoteParse {
  // eslint-disable-next-line no-control-regex
  if (value === "" || /[\s\u0000-\u001f\u007f]/.test(value))
    return { ok: false, reason: "must be a git URL or an absolute path, without spaces or control characters" };
  if (value.startsWith("-")) return { ok: false, reason: "must not start with '-'" };
  if (value.includes("::")) return { ok: false, reason: "git remote helpers (transport::address) are not accepted" };
  if (value.startsWith("/")) return { ok: true, kind: "path" };
  const scheme = /^([a-z][a-z0-9+.-]*):\/\/(.*)$/i.exec(value);
  if (scheme) {
    const kind = SCHEME_KINDS[scheme[1]!.toLowerCase()];
    if (!kind) return { ok: false, reason: `scheme ${scheme[1]}:// is not accepted (file, git, http, https, ssh)` };
    const rest = scheme[2]!;
    if (kind === "file")
      return rest.startsWith("/")
        ? { ok: true, kind }
        : { ok: false, reason: "a file:// URL needs an absolute path (file:///srv/work.git)" };
    const host = rest.replace(/^[^@/]*@/, "").split(/[/:]/)[0] ?? "";
    if (host === "" || host.startsWith("-")) return { ok: false, reason: `a ${scheme[1]}:// URL needs a host` };
    return { ok: true, kind };
  }
  if (SCP_LIKE.test(value)) return { ok: true, kind: "scp" };
  return {
    ok: false,
    reason:
      "must be a git URL (file://, git://, http(s)://, ssh://, user@host:path) or an absolute path of a bare repository",
  };
}

const MASK = "***";

/**
 * The URL with its credentials hidden, for logs, events, rows and API
 * answers: a password (`user:secret@`) always; for http(s) the user name too,
 * since tokens are often sent as the user name (`https://<token>@host`); the
 * values of a query string. SSH user names (`git@host`) are not secrets and stay.
 */
export function maskRemoteUrl(url: string): string {
  const m = /^([a-z][a-z0-9+.-]*:\/\/)([^/?#]*@)?([^?#]*)(\?[^#]*)?(#.*)?$/i.exec(url);
  if (!m) return url;
  const [, scheme, userinfo, rest, query, fragment] = m;
  let auth = "";
  if (userinfo) {
    const user = userinfo.slice(0, -1);
    const colon = user.indexOf(":");
    const http = /^https?:\/\/$/i.test(scheme!);
    auth = colon >= 0 ? `${http ? MASK : user.slice(0, colon)}:${MASK}@` : http ? `${MASK}@` : userinfo;
  }
  const maskedQuery = query ? query.replace(/=([^&]*)/g, `=${MASK}`) : "";
  return `${scheme}${auth}${rest}${maskedQuery}${fragment ?? ""}`;
}

/** Every URL inside a free text (git's stderr, an error message) masked as `maskRemoteUrl` does. */
export function maskCredentialsInText(text: string): string {
  return text.replace(/\b[a-z][a-z0-9+.-]*:\/\/[^\s'"`<>]+/gi, (url) => maskRemoteUrl(url));
}

/** Branch a session's checkpoints are pushed to: `refs/heads/orchestrator/<short>`. */
export function sessionBranchRef(shortId: string): string {
  return `refs/heads/orchestrator/${shortId}`;
}

/** Where checkpoint `seq` of a session is kept for good on the work remote; never moved, never force-pushed. */
export function checkpointRef(shortId: string, seq: number): string {
  return `${checkpointRefPrefix(shortId)}${seq}`;
}

/** The folder of a session's checkpoint refs (ends in "/"). */
export function checkpointRefPrefix(shortId: string): string {
  return `refs/orchestrator/checkpoints/${shortId}/`;
}

/** The seq a checkpoint ref of the session names, or null for any other ref. */
export function parseCheckpointRef(ref: string, shortId: string): number | null {
  const prefix = checkpointRefPrefix(shortId);
  if (!ref.startsWith(prefix)) return null;
  const tail = ref.slice(prefix.length);
  return /^[1-9]\d{0,9}$/.test(tail) ? Number(tail) : null;
}

/**
 * `--force-with-lease=<ref>:<expected>`: the remote updates `ref` only while it
 * still points at `expected`; with `expected` null, only while it does not
 * exist (git's empty form). This is the git side of fencing: a writer whose
 * idea of the branch is out of date cannot overwrite what moved it.
 */
export function computeLeaseArgument(ref: string, expected: string | null): string {
  return `--force-with-lease=${ref}:${expected ?? ""}`;
}

export type LeaseRefusalDecision = { kind: "retry"; expected: string | null } | { kind: "lost"; reason: string };

/**
 * A push of the session branch was refused by its lease: the remote branch is
 * at `remoteHead`, not at what this writer expected. That is a lost lease —
 * another holder moved it — unless the remote holds something this writer
 * already trusts: nothing (the branch was removed), or a commit the session
 * recorded as a checkpoint before this writer began (`trusted`; an earlier
 * holder that pushed after this writer read its state, or whose push landed
 * but was never recorded), or one of this writer's own pushes whose answer
 * never came (it may have landed). A newer holder's commits are never in
 * `trusted`: they were recorded after this writer began.
 */
export function decideLeaseRefusal(input: {
  remoteHead: string | null;
  expected: string | null;
  trusted: ReadonlySet<string> | readonly string[];
}): LeaseRefusalDecision {
  const { remoteHead, expected } = input;
  const trusted = input.trusted instanceof Set ? input.trusted : new Set(input.trusted as readonly string[]);
  if (remoteHead === expected) return { kind: "retry", expected };
  if (remoteHead === null) return { kind: "retry", expected: null };
  if (trusted.has(remoteHead)) return { kind: "retry", expected: remoteHead };
  return {
    kind: "lost",
    reason: `the work remote's branch is at ${remoteHead.slice(0, 12)}, which this holder never saw (expected ${expected ? expected.slice(0, 12) : "no branch"}): another holder moved it`,
  };
}

/** A checkpoint as verification sees it. */
export interface CheckpointPushRecord {
  seq: number;
  gitCommit: string | null;
  /** When its push was recorded (null: not yet). */
  pushedAt: string | null;
}

export interface RemoteCheckpointVerification {
  /** Checkpoints whose commit is on the remote at their checkpoint ref. */
  pushed: number;
  /** Not on the remote, and not recorded as pushed: a push still to come (or retrying). */
  notYetPushed: number[];
  /** Recorded as pushed but absent from the remote, or the ref holds another commit. */
  missing: number[];
}

/**
 * Compares the checkpoints with the remote's refs (`seq → commit` from
 * `git ls-remote`). A checkpoint without a commit has nothing to push and is
 * not counted. One on the remote but not yet recorded counts as pushed: the
 * recording follows the push.
 */
export function computeRemoteVerification(
  checkpoints: readonly CheckpointPushRecord[],
  remoteRefs: ReadonlyMap<number, string>,
): RemoteCheckpointVerification {
  const out: RemoteCheckpointVerification = { pushed: 0, notYetPushed: [], missing: [] };
  for (const cp of checkpoints) {
    if (cp.gitCommit === null) continue;
    const remote = remoteRefs.get(cp.seq);
    if (remote === cp.gitCommit) out.pushed++;
    else if (remote === undefined && cp.pushedAt === null) out.notYetPushed.push(cp.seq);
    else out.missing.push(cp.seq);
  }
  return out;
}
