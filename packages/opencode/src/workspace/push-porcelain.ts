/**
 * What `git push --porcelain` said about each ref. Pure: the output is parsed
 * here and tested beside it; the push itself is in work-remote.ts.
 */

/**
 * - `ok`: created, fast-forwarded or force-updated;
 * - `up-to-date`: the remote already held that commit;
 * - `stale`: refused by its lease (`--force-with-lease`): the ref is not where the pusher expected;
 * - `non-fast-forward`: refused as a rewind (pushes without a lease or force);
 * - `rejected`: refused for another reason (the remote's hooks, permissions, a locked ref).
 */
export type RefPushStatus = "ok" | "up-to-date" | "stale" | "non-fast-forward" | "rejected";

export interface RefPushResult {
  /** The destination ref (`refs/heads/…`). */
  ref: string;
  status: RefPushStatus;
  /** git's summary, e.g. `[rejected] (stale info)`. */
  summary: string;
}

/**
 * One result per ref line of `git push --porcelain` output
 * (`<flag>\t<from>:<to>\t<summary>`); other lines (`To …`, `Done`) are skipped.
 * No ref line at all means the push never reached the refs (the remote could
 * not be reached): the caller sees an empty list.
 */
export function parsePushPorcelain(stdout: string): RefPushResult[] {
  const out: RefPushResult[] = [];
  for (const line of stdout.split("\n")) {
    const m = /^([ +\-*!=])\t([^\t]*)\t(.*)$/.exec(line);
    if (!m) continue;
    const [, flag, refs, summary] = m as unknown as [string, string, string, string];
    const ref = refs.slice(refs.lastIndexOf(":") + 1);
    out.push({ ref, status: statusOf(flag, summary), summary: summary.trim() });
  }
  return out;
}

function statusOf(flag: string, summary: string): RefPushStatus {
  if (flag === "=") return "up-to-date";
  if (flag !== "!") return "ok";
  if (/\(stale info\)/.test(summary)) return "stale";
  if (/\((non-fast-forward|fetch first)\)/.test(summary)) return "non-fast-forward";
  return "rejected";
}
