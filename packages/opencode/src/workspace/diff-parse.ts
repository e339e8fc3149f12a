import type { DiffStat, FileChangeStatus } from "./types";

/** One file of `git diff --numstat -z`; binary files have null counts. */
export interface NumstatEntry {
  path: string;
  additions: number | null;
  deletions: number | null;
}

/**
 * Parses `git diff --numstat -z` output. Ordinary entries are
 * `adds\tdels\tpath\0`; renames leave the path empty and follow with
 * `old\0new\0`. Binary files count as `-\t-`.
 */
export function parseNumstat(output: string): NumstatEntry[] {
  const tokens = output.split("\0");
  const entries: NumstatEntry[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if (!token) continue;
    const [adds = "", dels = "", path = ""] = token.split("\t");
    // Rename: the old and new paths are the next two tokens; keep the new one.
    const finalPath = path === "" ? (tokens[(i += 2)] ?? "") : path;
    entries.push({ path: finalPath, additions: count(adds), deletions: count(dels) });
  }
  return entries;
}

/** One file of `git diff --name-status -z`. */
export interface NameStatusEntry {
  path: string;
  oldPath?: string;
  status: FileChangeStatus;
}

/**
 * Parses `git diff --name-status -z`: `X\0path\0`, or `R<score>\0old\0new\0`
 * for renames. Type changes and anything unusual read as "modified".
 */
export function parseNameStatus(output: string): NameStatusEntry[] {
  const tokens = output.split("\0");
  const entries: NameStatusEntry[] = [];
  for (let i = 0; i + 1 < tokens.length; i += 2) {
    const code = tokens[i] ?? "";
    if (code === "") continue;
    if (code.startsWith("R") || code.startsWith("C")) {
      const oldPath = tokens[i + 1] ?? "";
      const path = tokens[i + 2] ?? "";
      i += 1;
      entries.push(code.startsWith("R") ? { path, oldPath, status: "renamed" } : { path, status: "added" });
      continue;
    }
    entries.push({ path: tokens[i + 1] ?? "", status: code === "A" ? "added" : code === "D" ? "deleted" : "modified" });
  }
  return entries;
}

/**
 * Splits a multi-file unified diff into one chunk per file, in git's order
 * (the same order as --numstat and --name-status with the same options).
 * Safe because content lines always start with " ", "+", "-" or "\".
 */
export function splitPatch(output: string): string[] {
  return output.split(/^(?=diff --git )/m).filter((chunk) => chunk.startsWith("diff --git "));
}

/**
 * Cuts a patch at `maxBytes` (on a line boundary when one is near) and says so.
 */
export function capPatch(patch: string, maxBytes: number): { patch: string; truncated: boolean } {
  const bytes = Buffer.byteLength(patch);
  if (bytes <= maxBytes) return { patch, truncated: false };
  let cut = Buffer.from(patch).subarray(0, maxBytes).toString("utf8");
  // A cut inside a multi-byte character decodes to U+FFFD; a cut mid-line reads badly.
  const lastNewline = cut.lastIndexOf("\n");
  if (lastNewline > 0) cut = cut.slice(0, lastNewline + 1);
  return { patch: `${cut}\n[patch truncated: ${bytes} bytes, limit ${maxBytes}]\n`, truncated: true };
}

/** Totals over numstat entries; binary files count as files with no lines. */
export function sumStat(entries: readonly { additions: number | null; deletions: number | null }[]): DiffStat {
  return entries.reduce<DiffStat>(
    (stat, e) => ({
      files: stat.files + 1,
      additions: stat.additions + (e.additions ?? 0),
      deletions: stat.deletions + (e.deletions ?? 0),
    }),
    { files: 0, additions: 0, deletions: 0 },
  );
}

function count(field: string): number | null {
  return field === "-" ? null : Number.parseInt(field, 10);
}
