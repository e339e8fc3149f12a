import {
  coerceError,
  computeNextEventFloor,
  computeRetentionCutoff,
  computeRetentionDelay,
  computeRetentionPass,
  isBatchFull,
  RETENTION_ROUND_BUDGET,
  type Clock,
} from "@industrial/core";
import {
  batchDeleteExpiredAuditEntries,
  batchDeleteExpiredEvents,
  bypassTenantWall,
  detachedFromRequest,
  listRetentionTenants,
  type Database,
} from "@industrial/db";
import type { Logger } from "pino";
import type { RemoteCleanupReport } from "./remote-cleanup";

/** What a retention round removed; `busy`: another replica was deleting, so this one left the rest to it. */
export interface RetentionReport {
  events: number;
  audit: number;
  openCodeSessions: number;
  /** This replica's folders of finished sessions removed (their checkpoints are on their remote). */
  worktrees: number;
  /** Deleted sessions' branches, and checkpoint refs, removed from their remotes. */
  remoteBranches: number;
  checkpointRefs: number;
  busy: boolean;
  /** The round's budget ran out with rows left: the next round comes soon. */
  backlog: boolean;
}

export interface RetentionDeps {
  db: Database;
  clock: Clock;
  log: Logger;
  /** Between rounds; 0: no loop on this replica (`runRound` still works). */
  intervalMs: number;
  /** Told what each round removed (metrics). */
  removed?: (kind: RetentionKind, n: number) => void;
  /** Deletes ended attempts' OpenCode sessions from this data dir's store; returns how many. */
  pruneOpenCode?: () => Promise<number>;
  /** Removes this replica's folders of finished sessions that their remote can give back; returns how many. */
  retireWorktrees?: (stopping: () => boolean) => Promise<number>;
  /** Removes deleted sessions' refs from their remotes. */
  cleanRemotes?: (stopping: () => boolean) => Promise<RemoteCleanupReport>;
}

/** What a round removes, as `orchestrator_retention_deleted_total{kind}` counts it. */
export type RetentionKind =
  "events" | "audit" | "opencode_sessions" | "worktrees" | "remote_branches" | "checkpoint_refs";

const emptyReport = (): RetentionReport => ({
  events: 0,
  audit: 0,
  openCodeSessions: 0,
  worktrees: 0,
  remoteBranches: 0,
  checkpointRefs: 0,
  busy: false,
  backlog: false,
});

type Target = { kind: "events" | "audit"; tenantId: string; cutoff: Date };

/** The first round comes this soon after the start (or after the interval, when shorter): a replica that never lives a whole interval still prunes. */
const FIRST_ROUND_DELAY_MS = 60_000;
/** Lets other work (requests, the scheduler) run between batches. */
const BETWEEN_BATCHES_MS = 10;

/**
 * The retention loop every replica runs: each round deletes, per tenant with
 * a retention, session events and audit entries older than it — in batches
 * of `RETENTION_BATCH_SIZE` rows, tenants taking turns, at most
 * `RETENTION_ROUND_BUDGET` rows a round — then the OpenCode sessions of
 * attempts that ended. Several replicas may run it at once: a batch whose
 * retention lock another replica holds ends this replica's round (the other
 * one is at it).
 */
export function createRetention(deps: RetentionDeps) {
  // Expired rows are found across every tenant; each batch then names its tenant.
  const db = bypassTenantWall(
    deps.db,
    "retention: every tenant's expired session events and audit entries, ended attempts' OpenCode sessions",
  );
  /** Per tenant: where the next search for expired events starts (core computeNextEventFloor). */
  const floors = new Map<string, Date | null>();
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<RetentionReport> | null = null;
  let stopped = true;
  /** Set by stop(): a round in progress ends after its current batch (shutdown must not wait for a backlog). */
  let closing = false;

  /** One batch: the rows it deleted and whether it may have left more; null when another replica holds the lock. */
  async function batch(t: Target, limit: number): Promise<{ deleted: number; full: boolean } | null> {
    if (t.kind === "audit") {
      const deleted = await batchDeleteExpiredAuditEntries(db, { tenantId: t.tenantId, cutoff: t.cutoff, limit });
      return deleted === null ? null : { deleted, full: isBatchFull(deleted, limit) };
    }
    const floor = floors.get(t.tenantId) ?? null;
    const r = await batchDeleteExpiredEvents(db, { tenantId: t.tenantId, cutoff: t.cutoff, floor, limit });
    if (!r) return null;
    floors.set(
      t.tenantId,
      computeNextEventFloor({
        floor,
        cutoff: t.cutoff,
        selected: r.selected,
        limit,
        newestSelectedAt: r.newestSelectedAt,
      }),
    );
    // Whether more is left is what the search found (the prefix rule may delete a few more rows than it selected).
    return { deleted: r.deleted, full: isBatchFull(r.selected, limit) };
  }

  async function round(): Promise<RetentionReport> {
    const report = emptyReport();
    const now = deps.clock.now();
    let pending: Target[] = (await listRetentionTenants(db)).flatMap((t) => {
      const cutoff = computeRetentionCutoff(now, t.retentionDays)!;
      return [
        { kind: "events" as const, tenantId: t.id, cutoff },
        { kind: "audit" as const, tenantId: t.id, cutoff },
      ];
    });
    let budget = RETENTION_ROUND_BUDGET;
    while (pending.length && budget > 0 && !report.busy && !closing) {
      const next: Target[] = [];
      for (const { target, limit } of computeRetentionPass(pending, budget)) {
        const done = await batch(target, limit);
        if (done === null) {
          report.busy = true;
          break;
        }
        report[target.kind] += done.deleted;
        budget -= Math.max(done.deleted, 1);
        if (done.full) next.push(target);
        if (closing) break;
        await new Promise((r) => setTimeout(r, BETWEEN_BATCHES_MS));
      }
      pending = next;
    }
    report.backlog = !report.busy && pending.length > 0;
    if (deps.pruneOpenCode && !closing) report.openCodeSessions = await deps.pruneOpenCode();
    // The workspace parts go their own way: one that fails (a remote down, a folder in use) keeps nothing else from running.
    const stopping = () => closing;
    if (deps.retireWorktrees && !closing)
      report.worktrees = await apart("worktrees", () => deps.retireWorktrees!(stopping), 0);
    if (deps.cleanRemotes && !closing) {
      const r = await apart("remote refs", () => deps.cleanRemotes!(stopping), null);
      report.remoteBranches = r?.branches ?? 0;
      report.checkpointRefs = r?.checkpointRefs ?? 0;
    }
    return report;
  }

  async function apart<T>(what: string, work: () => Promise<T>, failed: T): Promise<T> {
    try {
      return await work();
    } catch (e) {
      deps.log.warn({ err: coerceError(e).message }, `retention: removing ${what} failed; trying again next round`);
      return failed;
    }
  }

  /** Runs one round now (or joins the one running) and reports it. */
  const runRound = detachedFromRequest((): Promise<RetentionReport> => {
    running ??= round()
      .then(
        (r) => {
          deps.removed?.("events", r.events);
          deps.removed?.("audit", r.audit);
          deps.removed?.("opencode_sessions", r.openCodeSessions);
          deps.removed?.("worktrees", r.worktrees);
          deps.removed?.("remote_branches", r.remoteBranches);
          deps.removed?.("checkpoint_refs", r.checkpointRefs);
          if (r.events || r.audit || r.openCodeSessions || r.worktrees || r.remoteBranches || r.checkpointRefs)
            deps.log.info({ ...r }, "retention round removed what expired");
          return r;
        },
        (e: unknown) => {
          deps.log.warn({ err: coerceError(e).message }, "retention round failed; trying again next round");
          return emptyReport();
        },
      )
      .finally(() => {
        running = null;
      });
    return running;
  });

  function schedule(delayMs: number): void {
    if (stopped) return;
    timer = setTimeout(() => {
      void runRound().then((r) => schedule(computeRetentionDelay({ backlog: r.backlog, intervalMs: deps.intervalMs })));
    }, delayMs);
    timer.unref();
  }

  return {
    runRound,
    /** Starts the loop (no-op when the interval is 0); the first round comes a minute in, off the start's busy moments. */
    start(): void {
      if (deps.intervalMs <= 0 || !stopped) return;
      stopped = false;
      schedule(Math.min(deps.intervalMs, FIRST_ROUND_DELAY_MS));
    },
    async stop(): Promise<void> {
      stopped = true;
      closing = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}

export type Retention = ReturnType<typeof createRetention>;
