import { execFileSync } from "node:child_process";
import pg from "pg";

/**
 * What a session that ended without its files on the work remote went
 * through, from what survives every fault: its checkpoints and its events in
 * the database, and the session's refs on the remote. CI keeps no post-mortem
 * folder, so this goes into the failure message itself (bounded).
 */
export async function describeLoss(
  databaseUrl: string,
  workRemoteDir: string,
  sessionId: string,
  short: string,
  files: string[],
): Promise<string> {
  const c = new pg.Client({ connectionString: databaseUrl });
  await c.connect();
  try {
    const cps = await c.query<{
      seq: number;
      attempt: number;
      trigger: string;
      git_commit: string | null;
      pushed: boolean;
    }>(
      "SELECT seq, attempt, trigger, git_commit, pushed_at IS NOT NULL AS pushed FROM checkpoints WHERE session_id = $1 ORDER BY seq",
      [sessionId],
    );
    const events = await c.query<{
      seq: number;
      type: string;
      attempt: number | null;
      payload: Record<string, unknown>;
      at: string;
    }>(
      `SELECT seq, type, attempt, payload, to_char(created_at, 'HH24:MI:SS.MS') AS at FROM session_events
        WHERE session_id = $1 AND (type <> 'session.log' OR payload->>'level' <> 'info' OR payload->>'source' = 'orchestrator')
          AND type NOT IN ('session.tool', 'session.usage', 'session.tokens', 'session.file_edited')
        ORDER BY seq`,
      [sessionId],
    );
    const lines = [
      `checkpoints: ${cps.rows.map((r) => `#${r.seq} a${r.attempt} ${r.trigger} ${r.git_commit?.slice(0, 8) ?? "-"}${r.pushed ? " pushed" : ""} [${holding(workRemoteDir, r.git_commit, files)}]`).join("; ")}`,
      `remote refs: ${remoteRefs(workRemoteDir, short, files)}`,
      ...events.rows
        .slice(-40)
        .map((e) => `${e.at} ${e.type}${e.attempt ? ` a${e.attempt}` : ""} ${JSON.stringify(e.payload).slice(0, 220)}`),
    ];
    return lines.join("\n    ");
  } catch (e) {
    return `(no report: ${(e as Error).message})`;
  } finally {
    await c.end();
  }
}

/** git on the work remote's bare repository (its output; throws when git fails). */
export function remoteGit(dir: string, ...args: string[]): string {
  return execFileSync("git", ["--git-dir", dir, ...args], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

// How many of the files a commit's tree on the remote holds ("?" when the remote lacks the commit).
function holding(dir: string, commit: string | null, files: string[]): string {
  if (!commit) return "-";
  try {
    const tree = new Set(remoteGit(dir, "ls-tree", "-r", "--name-only", commit).split("\n"));
    return `${files.filter((f) => tree.has(f)).length}/${files.length} files`;
  } catch {
    return "not on remote";
  }
}

function remoteRefs(dir: string, short: string, files: string[]): string {
  try {
    const out = remoteGit(
      dir,
      "for-each-ref",
      "--format=%(refname) %(objectname)",
      `refs/heads/orchestrator/${short}`,
      `refs/orchestrator/checkpoints/${short}/`,
    );
    const refs = out
      .split("\n")
      .filter(Boolean)
      .map((l) => {
        const [ref, commit] = l.split(" ");
        return `${ref!.replace(`orchestrator/checkpoints/${short}/`, "cp/").replace("refs/heads/", "")}=${commit!.slice(0, 8)} [${holding(dir, commit!, files)}]`;
      });
    return refs.join(", ") || "none";
  } catch (e) {
    return `(unreadable: ${(e as Error).message.split("\n")[0]})`;
  }
}
