import {
  coerceError,
  SessionErrorCode,
  type AttemptContext,
  type AttemptOutcome,
  type AttemptSink,
  type Workspace,
} from "@industrial/core";
import { openWorkspace, type Opening } from "./attempt-opening";
import { NO_MODEL_HELP } from "./classify-error";
import { activeDirectories } from "./directory-instances";
import { Interrupted, type Interruption } from "./interruption";
import type { ModelFallback } from "./model-fallback";
import type { AttemptRunOptions, OcClient, RunnerLease } from "./ports";
import { RunnerConnection } from "./runner-connection";
import { prepareSessionWorkspace, workspaceFailure } from "./session-workspace";
import { fail } from "./turn-outcome";
import type { TurnEvents } from "./turn-events";

export interface SetUpDeps {
  ctx: AttemptContext;
  sink: AttemptSink;
  opts: AttemptRunOptions;
  interruption: Interruption;
  events: TurnEvents;
  fallback: ModelFallback;
  /** Each is told as soon as it is had, so the attempt's end releases or leaves it even if a later step throws. */
  leased(lease: RunnerLease): void;
  connected(conn: RunnerConnection): void;
  opened(ws: Workspace): void;
  phase(name: string): void;
  emitLog(level: "info" | "warn", text: string): void;
}

/** Ready for the conversation (the client bound to the workspace, subscribed), or the outcome the attempt ends with at once. */
export type SetUp =
  | { kind: "outcome"; outcome: AttemptOutcome }
  | { kind: "ready"; client: OcClient; opening: Extract<Opening, { kind: "run" }> };

const outcome = (o: AttemptOutcome): SetUp => ({ kind: "outcome", outcome: o });

/**
 * Everything before the attempt's OpenCode session: a runner leased (and
 * recorded before any OpenCode call), the workspace opened (and recorded
 * when it moved), the agent's sandbox prepared, the runner's models warmed
 * and checked, its events subscribed to (before any prompt, or the first
 * events of the turn are lost). Throws Interrupted when interrupted while
 * waiting for the runner or its models.
 */
export async function setUpAttempt(deps: SetUpDeps): Promise<SetUp> {
  const { ctx, sink, opts, interruption } = deps;
  const { session, agent, attempt } = ctx;
  const acquiring = opts.runners.acquire({ agentRunnerId: agent.runnerId, attemptRunnerId: attempt.runnerId });
  let lease: RunnerLease;
  try {
    lease = await interruption.unlessInterrupted(acquiring);
  } catch (e) {
    if (!(e instanceof Interrupted))
      return outcome(
        fail(SessionErrorCode.RUNNER_UNAVAILABLE, `no OpenCode runner available: ${coerceError(e).message}`, true),
      );
    // Interrupted while waiting (a runner starting): the lease is handed back when it comes.
    void acquiring.then(
      (l) => l.release(),
      () => undefined,
    );
    throw e;
  }
  deps.leased(lease);
  if (lease.sandbox?.kind === "refused")
    return outcome(
      fail(
        SessionErrorCode.SANDBOX_UNAVAILABLE,
        `the agent's commands cannot be sandboxed on this replica: ${lease.sandbox.reason}`,
        false,
      ),
    );
  const conn = new RunnerConnection(lease, {
    transport: opts.transport,
    connectTimeoutMs: opts.connectTimeoutMs,
    interrupted: () => interruption.reason,
    unlessInterrupted: (p) => interruption.unlessInterrupted(p),
    onEvent: (e) => deps.events.onEvent(e),
    onStatus: (s, reconnected) => deps.events.onStreamStatus(s, reconnected),
  });
  deps.connected(conn);
  await sink.setRunner(lease.runnerId);
  deps.phase("runner");
  const folders = opts.folders(session.tenantId);
  // Which copy of the workspace, and (adoption) whether the OpenCode session is still there to re-attach to.
  const opening = await openWorkspace(ctx, {
    transport: opts.transport,
    lease,
    folders,
    // Where its checkpoints went: the work remote, or a URL repository's origin.
    workRemote: opts.pusher?.remoteOf(session.workspace) ?? null,
    prepare: () => prepareSessionWorkspace(session, { folders, mirrors: opts.mirrors }),
    failure: workspaceFailure,
    emitLog: (level, text) => deps.emitLog(level, text),
  });
  if (opening.kind === "outcome") return opening;
  const ws = opening.ws;
  deps.opened(ws);
  if (JSON.stringify(ws) !== JSON.stringify(session.workspace)) await sink.setWorkspace(ws);
  const dir = ws.path!;
  deps.phase("workspace");
  deps.emitLog("info", `workspace ${dir}${ws.branch ? ` on branch ${ws.branch}` : ""}`);
  if (lease.sandbox?.kind === "on") {
    // Before the agent's first step: from here on its commands see this folder and nothing else of the host.
    const prepared = await lease.sandbox.prepare(dir, agent.sandbox).then(
      () => null,
      (e: unknown) => coerceError(e).message,
    );
    if (prepared)
      return outcome(
        fail(SessionErrorCode.SANDBOX_UNAVAILABLE, `the sandbox of ${dir} could not be prepared: ${prepared}`, false),
      );
  }
  const client = conn.attach(dir);
  activeDirectories.set(dir, (activeDirectories.get(dir) ?? 0) + 1);

  const models = await interruption.unlessInterrupted(
    conn.warmModels(() =>
      deps.emitLog(
        "warn",
        "the OpenCode runner's process died before this attempt's first step and was restarted; going on with it",
      ),
    ),
  );
  const model = deps.fallback.current;
  if (model ? !models.available.includes(model) : !models.defaultModel)
    return outcome(
      fail(
        SessionErrorCode.NO_MODEL,
        `no usable model${model ? ` (${model} is not configured in OpenCode)` : ""}: ${NO_MODEL_HELP}`,
        false,
      ),
    );
  deps.fallback.limitTo(models);

  deps.phase("warm");
  // Subscribe before prompting, or the first events of the turn are lost.
  await conn.subscribe();
  deps.phase("subscribed");
  if (interruption.reason) return outcome({ kind: "interrupted" });
  return { kind: "ready", client, opening };
}
