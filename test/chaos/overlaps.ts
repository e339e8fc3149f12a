import { readFileSync } from "node:fs";
import type { RequestLogLine } from "@industrial/scripted-model";

/**
 * "Run twice at once": two attempts of one session live at the same time.
 * Two independent witnesses:
 * - the attempts table: no two attempts of a session whose [started, finished]
 *   intervals overlap;
 * - the scripted model's request log (one model outside the pods, shared as a
 *   provider is): every step a session's agent asked for came from the
 *   replica that held the session's lease at that moment, according to the
 *   database (`session.attempt` events: started, resumed, adopted — each with
 *   its replica — until the next holder or the attempt's end). A request from
 *   any other replica is a conversation that went on after its lease passed
 *   to someone else. The replica is told by the request's working directory,
 *   which lies in the data dir of the pod that sent it.
 */

/** A step request an agent sent to the scripted model (title requests are not steps). */
export interface ModelRequest {
  /** The incarnation that sent it (null: its working directory is in no known data dir, or before any start there). */
  replica: string | null;
  /** The session's short id: the working directory's name (`…/worktrees/<short>`, `…/workspaces/<short>`). */
  short: string;
  at: number;
  step: number | null;
}

/** A replica incarnation as far as attributing requests goes: its data dir and when it started. */
export interface IncarnationSpan {
  id: string;
  dataDir: string;
  /** When its process was spawned (a request from its pod cannot come before). */
  startedAt: number;
}

/**
 * A session's working directory, `<data dir>/worktrees/<short>` or
 * `<data dir>/workspaces/<short>`, split; a warm slot
 * (`<data dir>/worktrees/slots/<key>/<n>`) names no session (short null: its
 * owner changes); null for anything else.
 */
export function splitWorkingDirectory(dir: string): { dataDir: string; short: string | null } | null {
  const slot = /^(.+?)\/worktrees\/slots\/[^/]+\/\d+\/?$/.exec(dir);
  if (slot) return { dataDir: slot[1]!, short: null };
  const m = /^(.+)\/(?:worktrees|workspaces)\/([^/]+)\/?$/.exec(dir);
  return m ? { dataDir: m[1]!, short: m[2]! } : null;
}

/**
 * The incarnation whose pod sent a request from `dataDir` that reached the
 * model at `at`: of those that ran on that data dir (one after another: a
 * `sameDataDir` restart reuses its predecessor's), the last one started by
 * then — the one alive, or, between a kill and the restart, the one that
 * lived there last (a request in flight when its pod was killed arrives
 * after the kill; its end time is no bound).
 */
export function incarnationAt(incarnations: readonly IncarnationSpan[], dataDir: string, at: number): string | null {
  let found: IncarnationSpan | null = null;
  for (const i of incarnations)
    if (i.dataDir === dataDir && i.startedAt <= at && (!found || i.startedAt > found.startedAt)) found = i;
  return found?.id ?? null;
}

/** The step requests among the model log's lines (arrivals; titles left out), each with the incarnation that sent it. */
export function attributeRequests(
  lines: readonly RequestLogLine[],
  incarnations: readonly IncarnationSpan[],
  shortOfLabel: (label: string | null) => string | null,
): ModelRequest[] {
  return lines.flatMap((l) => {
    if (l.event !== "arrived" || l.reply === "title" || l.workingDirectory === null) return [];
    const where = splitWorkingDirectory(l.workingDirectory);
    // In a warm slot, the prompt's first line tells the session.
    const short = where?.short ?? shortOfLabel(l.label);
    if (!where || short === null) return [];
    const at = Date.parse(l.at);
    return [{ replica: incarnationAt(incarnations, where.dataDir, at), short, at, step: l.step }];
  });
}

/** The lines of a request log (`--request-log` of the scripted model). */
export function readRequestLog(file: string): RequestLogLine[] {
  return readFileSync(file, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as RequestLogLine);
}

export interface HolderEvent {
  attempt: number;
  replica: string;
  at: number;
}

export interface AttemptSpan {
  number: number;
  startedAt: number;
  finishedAt: number | null;
}

export interface SessionTimeline {
  short: string;
  holders: HolderEvent[];
  attempts: AttemptSpan[];
}

export interface Overlap {
  short: string;
  witness: "attempts" | "model";
  detail: string;
}

// Timestamps come from PostgreSQL (µs) and node (ms) on one machine: a millisecond either way is rounding.
const SLACK_MS = 2;

/** Every overlap the two witnesses show, per session. */
export function computeOverlaps(timelines: readonly SessionTimeline[], requests: readonly ModelRequest[]): Overlap[] {
  const out: Overlap[] = [];
  const byShort = new Map(timelines.map((t) => [t.short, t]));
  for (const t of timelines) {
    const spans = [...t.attempts].sort((a, b) => a.startedAt - b.startedAt);
    for (let i = 1; i < spans.length; i++) {
      const prev = spans[i - 1]!;
      const cur = spans[i]!;
      if (prev.finishedAt === null || prev.finishedAt > cur.startedAt + SLACK_MS)
        out.push({
          short: t.short,
          witness: "attempts",
          detail: `attempt ${cur.number} started at ${iso(cur.startedAt)} while attempt ${prev.number} ran (finished ${prev.finishedAt === null ? "never" : iso(prev.finishedAt)})`,
        });
    }
  }
  for (const r of requests) {
    const t = byShort.get(r.short);
    if (!t) continue;
    const holder = holderAt(t, r.at);
    if (holder !== r.replica)
      out.push({
        short: r.short,
        witness: "model",
        detail: `the model got step ${r.step} from ${r.replica ?? "an unknown replica"} at ${iso(r.at)} while ${holder ?? "no replica"} held the session`,
      });
  }
  return out;
}

/** The replica holding the session's lease at `at` (null: none, between two attempts or after the end). */
export function holderAt(t: SessionTimeline, at: number): string | null {
  const holders = [...t.holders].sort((a, b) => a.at - b.at);
  let current: HolderEvent | null = null;
  for (const h of holders) if (h.at <= at + SLACK_MS) current = h;
  if (!current) return null;
  const end = t.attempts.find((a) => a.number === current!.attempt)?.finishedAt ?? null;
  return end !== null && at > end + SLACK_MS ? null : current.replica;
}

const iso = (ms: number) => new Date(ms).toISOString().slice(11, 23);
