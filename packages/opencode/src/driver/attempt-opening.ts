import { existsSync } from "node:fs";
import {
  decideAdoption,
  sessionShortId,
  workspaceResetOf,
  type AttemptContext,
  type AttemptOutcome,
  type Workspace,
} from "@industrial/core";
import { diffWorkspace, isOwnWorkspacePath, locateWorkspace, releaseStaleLocks, type WorkRemote } from "../workspace";
import type { SessionFolders } from "../workspace/session-folders";
import type { OcClient, OcTransport, RunnerLease } from "./ports";
import { composeMovedResumePrompt, composePrompt, DEFAULT_CONTINUATION, type WorkDone } from "./prompt";

/**
 * How an attempt begins on this replica (docs/work-remote.md, "Any replica
 * serves any session"): which copy of the workspace it works in, and whether
 * it re-attaches to, continues, or replaces the OpenCode session.
 */
export interface OpeningDeps {
  transport: OcTransport;
  lease: RunnerLease;
  /** Where this tenant's session folders are (session-folders.ts). */
  folders: SessionFolders;
  /** Where a workspace this replica does not hold is recreated from (null: no work remote configured). */
  workRemote: WorkRemote | null;
  /** A new workspace from what the session names (nothing of it survives here or on the work remote). */
  prepare(): Promise<Workspace>;
  /** What a workspace that could not be had means for the attempt. */
  failure(e: unknown): AttemptOutcome;
  emitLog(level: "info" | "warn", text: string): void;
}

/** Where the attempt works, or the outcome it ends with at once (an adoption that restarts, a workspace that cannot be had). */
export type Opening =
  | { kind: "outcome"; outcome: AttemptOutcome }
  | { kind: "run"; ws: Workspace; source: "recorded" | "recreated" | "prepared"; reattach: boolean };

/** How the attempt talks to OpenCode once its workspace is ready. */
export type Conversation =
  | { kind: "create"; prompt: string }
  | { kind: "continue"; id: string; prompt: string }
  | { kind: "reattach"; id: string };

/**
 * The workspace, after core's adoption rules for an adopted attempt: a living
 * OpenCode session is re-attached to where it works; one out of reach ends
 * the attempt as lost to the infrastructure (a new attempt continues from the
 * work remote, not counted against maxAttempts).
 */
export async function openWorkspace(ctx: AttemptContext, deps: OpeningDeps): Promise<Opening> {
  const { session, attempt } = ctx;
  const recorded = session.workspace;
  if (ctx.mode === "adopt") {
    const decision = decideAdoption({
      openCodeSessionRecorded: attempt.openCodeSessionId !== null,
      openCodeSessionAlive: await openCodeSessionAlive(ctx, deps),
      infraRestarts: ctx.infraRestarts ?? 0,
      lastPushedCheckpoint: ctx.resumePoint?.target?.seq ?? null,
      previousOwner: ctx.previousOwner ?? null,
    });
    if (decision.action === "reattach") return { kind: "run", ws: recorded, source: "recorded", reattach: true };
    if (decision.action === "restart" || decision.action === "give_up")
      return { kind: "outcome", outcome: { kind: "failed", error: decision.error } };
  }
  try {
    const short = sessionShortId(session.id);
    if (deps.workRemote) {
      const target = ctx.resumePoint?.target ?? null;
      const located = await locateWorkspace(recorded, {
        sessionShortId: short,
        ...deps.folders,
        workRemote: deps.workRemote,
        target,
      });
      const skipped = ctx.resumePoint?.skipped ?? [];
      if (located.source !== "recorded" && skipped.length > 0)
        deps.emitLog(
          "warn",
          `checkpoint${skipped.length === 1 ? "" : "s"} ${skipped.join(", ")} never reached the work remote: their work was only on the replica that made them`,
        );
      if (located.source === "recreated") {
        const at = target!.seq === null ? "its base commit" : `checkpoint ${target!.seq}`;
        deps.emitLog("info", `workspace recreated from the work remote at ${at} (this replica did not hold it)`);
        return { kind: "run", ws: located.workspace, source: "recreated", reattach: false };
      }
      if (located.source === "recorded")
        return { kind: "run", ws: await reused(recorded, deps), source: "recorded", reattach: false };
    } else if (recorded.path && existsSync(recorded.path))
      return { kind: "run", ws: await reused(recorded, deps), source: "recorded", reattach: false };
    return { kind: "run", ws: await deps.prepare(), source: "prepared", reattach: false };
  } catch (e) {
    return { kind: "outcome", outcome: deps.failure(e) };
  }
}

/**
 * The adopted attempt's OpenCode session can be reached: its directory is
 * here, and the runner this replica got is the one that ran it (a remote
 * runner) or shares its store (this data dir's managed runners, after a
 * restart). Another replica's managed runners died with it.
 */
async function openCodeSessionAlive(ctx: AttemptContext, deps: OpeningDeps): Promise<boolean> {
  const id = ctx.attempt.openCodeSessionId;
  const ws = ctx.session.workspace;
  if (!id || !ws.path || !existsSync(ws.path)) return false;
  const sameStore =
    deps.lease.runnerId === ctx.attempt.runnerId ||
    (await isOwnWorkspacePath(ws, { ...deps.folders, sessionShortId: sessionShortId(ctx.session.id) }));
  if (!sameStore) return false;
  return (
    (await deps.transport
      .client(deps.lease.url, ws.path)
      .getSession(id)
      .catch(() => null)) !== null
  );
}

/**
 * Re-attach (adoption), continue the paused OpenCode session (resume, when it
 * is on this runner and still matches the files), or a new one told what was
 * done (also when the paused one is gone from a runner that should have it).
 */
export async function chooseConversation(
  ctx: AttemptContext,
  client: OcClient,
  opening: Extract<Opening, { kind: "run" }>,
  emitLog: OpeningDeps["emitLog"],
): Promise<Conversation> {
  const id = ctx.attempt.openCodeSessionId;
  if (opening.reattach && id) return { kind: "reattach", id };
  if (ctx.mode !== "resume" || !id) return { kind: "create", prompt: composePrompt(ctx, await workDone(ctx, opening)) };
  const reset = workspaceResetOf(ctx.session.workspace);
  // A restore made where OpenCode could not be rewound: the conversation describes files that are gone.
  const stale = reset !== null && !reset.openCodeRewound && (ctx.resumePoint?.checkpoint?.seq ?? 0) <= reset.afterSeq;
  if (opening.source === "recorded" && !stale && (await client.getSession(id)))
    return { kind: "continue", id, prompt: ctx.continuation ?? DEFAULT_CONTINUATION };
  emitLog(
    "warn",
    stale
      ? "the workspace was restored without rewinding the OpenCode session: a new OpenCode session continues from the workspace"
      : "the paused OpenCode session is not on this replica's runner: a new OpenCode session continues from the workspace",
  );
  const done = await workDone(ctx, opening, true);
  return { kind: "create", prompt: composeMovedResumePrompt(ctx, done!) };
}

/** What earlier runs left, for a prompt that starts a new conversation on earlier work (null: nothing to tell). */
async function workDone(
  ctx: AttemptContext,
  opening: Extract<Opening, { kind: "run" }>,
  always = false,
): Promise<WorkDone | null> {
  const checkpoint = ctx.resumePoint?.checkpoint ?? null;
  const continues = always || ctx.attempt.number > 1 || opening.source === "recreated";
  if (!continues || (!checkpoint && !always)) return null;
  const diff = await diffWorkspace(opening.ws).catch(() => null);
  return {
    checkpoint: checkpoint ? { seq: checkpoint.seq, note: checkpoint.note } : null,
    stat: diff?.stat ?? checkpoint?.diffStat ?? { files: 0, additions: 0, deletions: 0 },
    files: diff?.files.map((f) => f.path) ?? [],
  };
}

/** This replica's folder, reused as it is: what a killed process left locked in its git goes first. */
async function reused(ws: Workspace, deps: OpeningDeps): Promise<Workspace> {
  const removed = await releaseStaleLocks(ws);
  if (removed.length)
    deps.emitLog("warn", `removed git lock files a stopped process left in the workspace: ${removed.join(", ")}`);
  return ws;
}
