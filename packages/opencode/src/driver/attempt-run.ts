import {
  coerceError,
  SessionErrorCode,
  truncateText,
  type AttemptContext,
  type AttemptHandle,
  type AttemptOutcome,
  type AttemptSink,
  type InterruptReason,
  type Workspace,
} from "@industrial/core";
import { chooseConversation } from "./attempt-opening";
import { setUpAttempt } from "./attempt-setup";
import { leaveDirectory } from "./directory-instances";
import { parseOcMessages, type OcMessage } from "./opencode-events";
import type { AttemptRunOptions, OcClient, RunnerLease } from "./ports";
import { InputAsks } from "./input-asks";
import { ModelFallback } from "./model-fallback";
import { IdleWatch } from "./idle-watch";
import { TurnEvents } from "./turn-events";
import { StepCheckpoints } from "./step-checkpoints";
import type { RunnerConnection } from "./runner-connection";
import { reattach, type ReattachDeps } from "./reattach";
import { concludeTurn, fail, type ConcludeDeps } from "./turn-outcome";
import { TurnPrompts } from "./turn-prompts";
import { Interrupted, Interruption } from "./interruption";

/** Added to the session's rules for an agent that allows questions: the runner's config denies the tool (docs/input-requests.md §1). */
const QUESTION_RULE = { permission: "question", pattern: "*", action: "allow" } as const;

/**
 * One attempt driven through OpenCode: the lifecycle — runner lease,
 * workspace, OpenCode session, prompts, interrupts, hand-over — and the turn
 * followed to its end. Its parts live beside it: what comes before the
 * OpenCode session (runner, workspace, sandbox, models, subscription) is set
 * up in attempt-setup.ts, OpenCode's events become ours in turn-events.ts,
 * the turn's end is watched in idle-watch.ts, steps are checkpointed in
 * step-checkpoints.ts, the outcome is decided in turn-outcome.ts from the
 * state re-read after idle.
 */
export class OpenCodeAttemptRun {
  private lease: RunnerLease | null = null;
  /** The runner's URL, client and event stream, once it is leased (runner-connection.ts). */
  private conn: RunnerConnection | null = null;
  private get client(): OcClient | null {
    return this.conn?.client ?? null;
  }
  private ws: Workspace | null = null;
  private ocSessionId: string | null = null;
  private readonly interruption = new Interruption();
  private get interrupted(): InterruptReason | null {
    return this.interruption.reason;
  }
  private handingOver: Promise<void> | null = null;
  private ungate: (() => void) | null = null;
  private readonly startedAt = Date.now();
  /** The model prompts name, moved on to the agent's fallbackModels when one keeps failing (model-fallback.ts). */
  private readonly fallback: ModelFallback;
  readonly handle: AttemptHandle;
  private readonly asks: InputAsks;
  private readonly idle: IdleWatch;
  private readonly events: TurnEvents;
  private readonly checkpoints: StepCheckpoints;
  private readonly prompts: TurnPrompts;
  /** How a running OpenCode session is re-attached to (reattach.ts). */
  private readonly reattaching: ReattachDeps;
  /** How the turn is concluded once idle (turn-outcome.ts). */
  private readonly concluding: ConcludeDeps;

  constructor(
    private readonly ctx: AttemptContext,
    private readonly sink: AttemptSink,
    private readonly opts: AttemptRunOptions,
  ) {
    const emitLog = this.emitLog.bind(this);
    // Where the parts find the attempt's OpenCode session as it changes (set, re-attached, its runner restarted).
    const live = {
      client: () => this.client,
      ocSessionId: () => this.ocSessionId,
      interrupted: () => this.interrupted,
      handingOver: () => this.handingOver,
    };
    this.fallback = new ModelFallback(
      ctx.session.model ?? ctx.agent.model ?? opts.defaultModel,
      ctx.agent.fallbackModels,
      sink,
    );
    this.asks = new InputAsks({
      ...live,
      parentOf: async (id) => (await this.client?.getSession(id))?.parentID ?? null,
      allowQuestions: ctx.agent.allowQuestions,
      sink,
      emitLog,
    });
    this.idle = new IdleWatch({ ...live, runnerRestarted: () => this.conn?.restarted() ?? false });
    this.checkpoints = new StepCheckpoints({
      ctx,
      sink,
      pusher: opts.pusher,
      workspace: () => this.ws,
      log: opts.log,
      emitLog,
    });
    this.events = new TurnEvents({
      sink,
      idle: this.idle,
      asks: this.asks,
      ...live,
      runningModel: () => this.fallback.running,
      stepFinished: (id) => this.checkpoints.stepFinished(id),
      maxProviderRetries: opts.maxProviderRetries,
      knownToolCalls: ctx.known.toolCalls,
      usage: ctx.usage,
      log: opts.log,
      emitLog,
    });
    this.prompts = new TurnPrompts({
      agent: ctx.agent,
      ...live,
      model: () => this.fallback.current,
      idle: this.idle,
      abortKnownTurn: () => this.abortKnownTurn(),
    });
    this.reattaching = {
      ...live,
      ctx,
      sink,
      asks: this.asks,
      idle: this.idle,
      events: this.events,
      log: opts.log,
      emitLog,
      readMessages: () => this.readMessages(),
      prompt: (text) => this.prompts.prompt(text),
    };
    this.concluding = {
      ...live,
      runnerRestarted: () => this.conn!.restartedOnceBack(),
      followRestartedRunner: () => this.followRestartedRunner(),
      continueTurn: (text) => this.prompts.continueTurn(text),
      readMessages: () => this.readMessages(),
      asks: this.asks,
      checkpoints: this.checkpoints,
      events: this.events,
      fallback: this.fallback,
      idle: this.idle,
      maxProviderRetries: opts.maxProviderRetries,
      workspace: () => this.ws!,
      phase: (name) => this.phase(name),
    };
    this.handle = {
      outcome: this.main(),
      interrupt: (r) => this.interrupt(r),
      send: (text) => this.prompts.send(text),
      deliverInput: (d) => this.asks.deliver(d),
      // Nothing to checkpoint before the workspace is opened.
      checkpointNow: async (trigger) => void (this.ws && (await this.checkpoints.afterLastStep(trigger))),
      handOver: () => (this.handingOver ??= this.handOver()),
    };
  }

  private async main(): Promise<AttemptOutcome> {
    try {
      const outcome = await this.run();
      if (outcome.kind !== "interrupted")
        await this.checkpoints.land(this.opts.landWaitMs, () => this.interrupted !== null);
      this.phase("landed");
      return outcome;
    } catch (e) {
      if (e instanceof Interrupted) {
        await this.abortKnownTurn();
        return { kind: "interrupted" };
      }
      this.opts.log("error", "attempt failed unexpectedly", { err: coerceError(e).message });
      return fail(SessionErrorCode.INTERNAL, `runner error: ${coerceError(e).message}`, true);
    } finally {
      this.ungate?.();
      this.conn?.close();
      await this.checkpoints.settled();
      if (this.ws && this.client)
        await leaveDirectory({
          ws: this.ws,
          client: this.client,
          url: this.conn?.url ?? null,
          worktreesDir: this.opts.folders(this.ctx.session.tenantId).worktreesDir,
          detached: () => this.interrupted === "detach",
        });
      // Last: a draining runner is stopped once its last lease is back.
      this.lease?.release();
    }
  }

  /** From its first step on, the session's agent acts only while the engine says so (the runner's agent gate). */
  private underGate(): void {
    this.ungate?.();
    this.ungate = this.lease?.gate?.(this.ocSessionId!, () => this.sink.agentGate()) ?? null;
  }

  /** Where an attempt's time goes (debug log, ms since the attempt began): README, Performance notes. */
  private phase(name: string): void {
    this.opts.log("debug", `phase ${name}`, { ms: Date.now() - this.startedAt });
  }

  private async run(): Promise<AttemptOutcome> {
    const { session, agent } = this.ctx;
    const setUp = await setUpAttempt({
      ctx: this.ctx,
      sink: this.sink,
      opts: this.opts,
      interruption: this.interruption,
      events: this.events,
      fallback: this.fallback,
      leased: (lease) => (this.lease = lease),
      connected: (conn) => (this.conn = conn),
      opened: (ws) => (this.ws = ws),
      phase: (name) => this.phase(name),
      emitLog: (level, text) => this.emitLog(level, text),
    });
    if (setUp.kind === "outcome") return setUp.outcome;
    const { client, opening } = setUp;

    const conversation = await chooseConversation(this.ctx, client, opening, (level, text) =>
      this.emitLog(level, text),
    );
    if (conversation.kind === "create") {
      // A paused attempt resumed in a new OpenCode session keeps what it used in the old one.
      if (this.ctx.mode === "resume") this.events.keepEarlierUsage();
      // The turn starts over: what the old OpenCode session asked is gone with it (closed cancelled); the new one asks again.
      if (this.ctx.mode !== "start") await this.sink.inputHeld([]);
      const rules = [...agent.permissions, ...(agent.allowQuestions ? [QUESTION_RULE] : [])];
      const oc = await client.createSession({ title: session.title, ...(rules.length ? { permission: rules } : {}) });
      this.ocSessionId = oc.id;
      this.underGate();
      await this.sink.setOpenCodeSession(oc.id);
      // Lost the lease while recording it: the new holder owns the attempt; never prompt.
      if (this.interrupted) return { kind: "interrupted" };
      await this.prompts.prompt(conversation.prompt);
    } else {
      this.ocSessionId = conversation.id;
      this.underGate();
      if (conversation.kind === "continue") {
        // The turn that asked died: what OpenCode no longer holds closes, what it holds waits again.
        await this.asks.sync();
        await this.prompts.prompt(conversation.prompt);
      } else await reattach(conversation.id, this.reattaching);
    }
    this.phase("prompted");
    await this.idle.wait();
    this.phase("idle");
    return concludeTurn(this.concluding);
  }

  /**
   * The turn died with the runner's process; the OpenCode session did not:
   * the restarted process serves the same store. Re-attach to it where the
   * process listens now (its port may have changed) and carry the turn on,
   * as an adopter re-attaches — the attempt is not lost and counts nothing.
   */
  private async followRestartedRunner(): Promise<void> {
    this.emitLog(
      "warn",
      `the OpenCode runner's process died under this attempt and was restarted; continuing OpenCode session ${this.ocSessionId} on it`,
    );
    await this.conn!.followRestart();
    this.idle.rearm();
    await reattach(this.ocSessionId!, this.reattaching);
    await this.idle.wait();
  }

  private async readMessages(): Promise<OcMessage[]> {
    return parseOcMessages(await this.client!.messages(this.ocSessionId!));
  }

  private interrupt(reason: InterruptReason): void {
    if (!this.interruption.interrupt(reason)) return;
    if (reason === "detach") return this.idle.mark("detach");
    // An aborted turn's asks stay listed in OpenCode: rejected after the abort (and no approval goes out meanwhile).
    this.asks.interrupting();
    void this.abortKnownTurn()
      .then(() => this.asks.rejectAll())
      .catch((e: unknown) =>
        this.opts.log("warn", "the interrupted attempt's asks could not be rejected", { err: coerceError(e).message }),
      );
    if (!this.idle.prompted) return this.idle.mark("interrupt");
    // If OpenCode never reports idle (runner gone), do not hang the attempt.
    setTimeout(() => this.idle.mark("interrupt timeout"), 5000).unref();
  }

  /**
   * Aborts the OpenCode turn of this attempt, if one may be running: ours, or
   * (adopted, not yet re-attached) the one the dead holder started.
   */
  private async abortKnownTurn(): Promise<void> {
    if (this.interrupted === "detach") return;
    const id = this.ocSessionId ?? this.ctx.attempt.openCodeSessionId;
    const dir = this.ws?.path ?? this.ctx.session.workspace.path;
    const url = this.conn?.url;
    if (!id || !url || !dir) return;
    const client = this.client ?? this.opts.transport.client(url, dir);
    await client.abort(id).catch(() => undefined);
  }

  /**
   * The replica stops. A turn on a runner that stops with it would die mid-step:
   * it is aborted first, so the checkpoint holds its last state. The checkpoint
   * (`pause`: the work pauses here and goes on elsewhere) is pushed before the
   * attempt detaches, so whoever adopts it finds it on the work remote. A turn
   * on a runner that outlives the replica goes on, for the adopter to re-attach.
   */
  private async handOver(): Promise<void> {
    if (this.interrupted) return;
    if (this.lease?.stopsWithReplica && this.ocSessionId && this.client)
      await this.client.abort(this.ocSessionId).catch(() => undefined);
    if (this.ws) {
      await this.checkpoints.afterLastStep("pause").catch(() => undefined);
      await this.opts.pusher?.flush(this.ctx.session.id).catch(() => false);
    }
    this.interrupt("detach");
  }

  private emitLog(
    level: "info" | "warn" | "error",
    text: string,
    source: "orchestrator" | "assistant" | "opencode" = "orchestrator",
  ): void {
    this.sink.emit([{ type: "session.log", payload: { level, text: truncateText(text), source } }]);
  }
}
