import {
  coerceError,
  countModelUsage,
  countToolCall,
  emptyUsage,
  SessionErrorCode,
  truncateText,
  type AttemptContext,
  type AttemptHandle,
  type AttemptOutcome,
  type AttemptSink,
  type AttemptUsage,
  type CheckpointTrigger,
  type InterruptReason,
  type SessionError,
  type Workspace,
} from "@industrial/core";
import { snapshotWorkspace, summarizeWorkspace } from "../workspace";
import { chooseConversation, openWorkspace } from "./attempt-opening";
import { activeDirectories, forgetInstance, warmUp } from "./directory-instances";
import { classifyOpenCodeError, NO_MODEL_HELP } from "./classify-error";
import { OcAssistantInfo, OcEventProps, OcPart, parseOcMessages, type OcMessage, type OcError, type OcEventType } from "./opencode-events";
import type { OcClient, OcSubscription, OcTransport, RunnerLease, RunnerResolver } from "./ports";
import { composePrompt, DEFAULT_CONTINUATION } from "./prompt";
import { InputAsks } from "./input-asks";
import { resolveOpenCodeAgent } from "../opencode-config";
import { tokensOf, toolEvent, usageOfMessages } from "./translate";
import { landCheckpoints, pushRecordedCheckpoint } from "./checkpoint-push";
import { ModelFallback, toProviderFailure } from "./model-fallback";
import { prepareSessionWorkspace, workspaceFailure } from "./session-workspace";
import type { CheckpointPusher } from "../work-remote";
import type { MirrorCache } from "../mirror";
import type { SessionFolders } from "../workspace/session-folders";
import { isSlotPath } from "../workspace/warm-slots";

export interface AttemptRunOptions {
  transport: OcTransport;
  runners: RunnerResolver;
  /** Where a tenant's session folders are (session-folders.ts). */
  folders(tenantId: string): SessionFolders;
  defaultModel: string | null;
  /** OpenCode's own provider retries tolerated before the attempt gives up (and our retry policy takes over). */
  maxProviderRetries: number;
  /** How long an ending attempt waits for its checkpoints to reach the remote (ORCHESTRATOR_CHECKPOINT_LAND_SECONDS; 0: no wait). */
  landWaitMs: number;
  connectTimeoutMs: number;
  /** Pushes every checkpoint to the work remote (absent: none configured). */
  pusher?: CheckpointPusher | null;
  /** This replica's mirrors of URL repositories (absent: repositories by URL fail to prepare). */
  mirrors?: MirrorCache | null;
  log: (level: "debug" | "info" | "warn" | "error", msg: string, extra?: Record<string, unknown>) => void;
}

type Fail = { kind: "failed"; error: SessionError };

/** Thrown out of a wait when the attempt is interrupted before OpenCode was prompted. */
class Interrupted extends Error {}

const fail = (code: string, message: string, retryable: boolean): Fail => ({ kind: "failed", error: { code, message, retryable } });

/**
 * One attempt driven through OpenCode: workspace, OpenCode session, prompt,
 * event translation, checkpoints at each finished step, and the final
 * decision from the state re-read after idle.
 */
const FINAL_ANSWER_MAX_CHARS = 65_536;

/** How long a concluding attempt waits for its restarting managed runner before judging the turn as it stands. */
const RUNNER_RESTART_WAIT_MS = 30_000;
/** Added to the session's rules for an agent that allows questions: the runner's config denies the tool (docs/input-requests.md §1). */
const QUESTION_RULE = { permission: "question", pattern: "*", action: "allow" } as const;

export class OpenCodeAttemptRun {
  private client: OcClient | null = null;
  private url: string | null = null;
  private lease: RunnerLease | null = null;
  private pendingSends: string[] = [];
  private sub: OcSubscription | null = null;
  private ws: Workspace | null = null;
  private ocSessionId: string | null = null;
  private interrupted: InterruptReason | null = null;
  private prompted = false;
  private busySeen = false;
  /** Turns prompted so far: a status read asked during one turn says nothing of the next. */
  private turn = 0;
  private providerGaveUp: string | null = null;
  private lastError: OcError | null = null;
  private idleWaiter: (() => void) | null = null;
  private readonly toolStatus = new Map<string, string>();
  private readonly seenParts = new Set<string>();
  private readonly checkpointed = new Set<string>();
  private checkpoints: Promise<void> = Promise.resolve();
  private lastCompletedMessage: string | null = null;
  private usage: AttemptUsage;
  private usageBase: AttemptUsage = emptyUsage();
  /** The model prompts name, moved on to the agent's fallbackModels when one keeps failing (model-fallback.ts). */
  private readonly fallback: ModelFallback;
  private get model(): string | null {
    return this.fallback.current;
  }
  readonly handle: AttemptHandle;
  private readonly asks: InputAsks;

  constructor(
    private readonly ctx: AttemptContext,
    private readonly sink: AttemptSink,
    private readonly opts: AttemptRunOptions,
  ) {
    this.usage = structuredClone(ctx.usage);
    for (const m of ctx.known.checkpointedMessages) this.checkpointed.add(m);
    for (const [callId, status] of Object.entries(ctx.known.toolCalls)) this.toolStatus.set(callId, status);
    this.fallback = new ModelFallback(ctx.session.model ?? ctx.agent.model ?? opts.defaultModel, ctx.agent.fallbackModels, sink);
    this.asks = new InputAsks({
      client: () => this.client,
      parentOf: async (id) => (await this.client?.getSession(id))?.parentID ?? null,
      ocSessionId: () => this.ocSessionId,
      allowQuestions: ctx.agent.allowQuestions,
      sink,
      emitLog: (level, text) => this.emitLog(level, text),
    });
    this.handle = {
      outcome: this.main(),
      interrupt: (r) => this.interrupt(r),
      send: (text) => this.send(text),
      deliverInput: (d) => this.asks.deliver(d),
      checkpointNow: (trigger) => this.checkpointNow(trigger),
      handOver: () => (this.handingOver ??= this.handOver()),
    };
  }

  private async main(): Promise<AttemptOutcome> {
    try {
      const outcome = await this.run();
      if (outcome.kind !== "interrupted") await this.landCheckpoints();
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
      this.sub?.close();
      await this.checkpoints.catch(() => undefined);
      await this.leaveDirectory();
      // Last: a draining runner is stopped once its last lease is back.
      this.lease?.release();
    }
  }

  private ungate: (() => void) | null = null;

  /** From its first step on, the session's agent acts only while the engine says so (the runner's agent gate). */
  private underGate(): void {
    this.ungate?.();
    this.ungate = this.lease?.gate?.(this.ocSessionId!, () => this.sink.agentGate()) ?? null;
  }

  private async leaveDirectory(): Promise<void> {
    const dir = this.ws?.path;
    if (!dir || !this.client) return;
    const left = (activeDirectories.get(dir) ?? 1) - 1;
    if (left > 0) return void activeDirectories.set(dir, left);
    activeDirectories.delete(dir);
    // Only a session's own directory (worktree or scratch) is disposed: a person's plain
    // directory may be shared with sessions of other replicas. And a detached attempt's
    // turn goes on under its new owner: leave its instance alone.
    const ownDirectory = this.ws!.repository !== null || this.ws!.directory === null;
    // A warm slot's instance is what the next session of the repository starts on: kept (slots are bounded).
    const slot = await isSlotPath(dir, this.opts.folders(this.ctx.session.tenantId).worktreesDir);
    if (!ownDirectory || slot || this.interrupted === "detach") return;
    if (this.url) forgetInstance(this.url, dir);
    await this.client.disposeInstance().catch(() => undefined);
  }

  private readonly startedAt = Date.now();
  /** Where an attempt's time goes (debug log, ms since the attempt began): README, Performance notes. */
  private phase(name: string): void {
    this.opts.log("debug", `phase ${name}`, { ms: Date.now() - this.startedAt });
  }

  private async run(): Promise<AttemptOutcome> {
    const { session, agent, attempt } = this.ctx;
    const acquiring = this.opts.runners.acquire({ agentRunnerId: agent.runnerId, attemptRunnerId: attempt.runnerId });
    try {
      this.lease = await this.unlessInterrupted(acquiring);
    } catch (e) {
      if (!(e instanceof Interrupted)) return fail(SessionErrorCode.RUNNER_UNAVAILABLE, `no OpenCode runner available: ${coerceError(e).message}`, true);
      // Interrupted while waiting (a runner starting): the lease is handed back when it comes.
      void acquiring.then((l) => l.release(), () => undefined);
      throw e;
    }
    if (this.lease.sandbox?.kind === "refused")
      return fail(SessionErrorCode.SANDBOX_UNAVAILABLE, `the agent's commands cannot be sandboxed on this replica: ${this.lease.sandbox.reason}`, false);
    const url = (this.url = this.lease.url);
    this.runnerRestarts = this.lease.current?.()?.restarts ?? null;
    await this.sink.setRunner(this.lease.runnerId);
    this.phase("runner");
    const folders = this.opts.folders(session.tenantId);
    // Which copy of the workspace, and (adoption) whether the OpenCode session is still there to re-attach to.
    const opening = await openWorkspace(this.ctx, {
      transport: this.opts.transport,
      lease: this.lease,
      folders,
      // Where its checkpoints went: the work remote, or a URL repository's origin.
      workRemote: this.opts.pusher?.remoteOf(session.workspace) ?? null,
      prepare: () => prepareSessionWorkspace(session, { folders, mirrors: this.opts.mirrors }),
      failure: workspaceFailure,
      emitLog: (level, text) => this.emitLog(level, text),
    });
    if (opening.kind === "outcome") return opening.outcome;
    this.ws = opening.ws;
    if (JSON.stringify(this.ws) !== JSON.stringify(session.workspace)) await this.sink.setWorkspace(this.ws);
    const dir = this.ws.path!;
    this.phase("workspace");
    this.emitLog("info", `workspace ${dir}${this.ws.branch ? ` on branch ${this.ws.branch}` : ""}`);
    if (this.lease.sandbox?.kind === "on") {
      // Before the agent's first step: from here on its commands see this folder and nothing else of the host.
      const prepared = await this.lease.sandbox.prepare(dir, agent.sandbox).then(() => null, (e: unknown) => coerceError(e).message);
      if (prepared) return fail(SessionErrorCode.SANDBOX_UNAVAILABLE, `the sandbox of ${dir} could not be prepared: ${prepared}`, false);
    }
    this.client = this.opts.transport.client(url, dir);
    activeDirectories.set(dir, (activeDirectories.get(dir) ?? 0) + 1);

    const models = await this.unlessInterrupted(this.warmModels(dir));
    if (this.model ? !models.available.includes(this.model) : !models.defaultModel)
      return fail(SessionErrorCode.NO_MODEL, `no usable model${this.model ? ` (${this.model} is not configured in OpenCode)` : ""}: ${NO_MODEL_HELP}`, false);
    this.fallback.limitTo(models);

    this.phase("warm");
    // Subscribe before prompting, or the first events of the turn are lost.
    await this.subscribe(this.url!, dir);
    this.phase("subscribed");
    if (this.interrupted) return { kind: "interrupted" };

    const conversation = await chooseConversation(this.ctx, this.client, opening, (level, text) => this.emitLog(level, text));
    if (conversation.kind === "create") {
      // A paused attempt resumed in a new OpenCode session keeps what it used in the old one.
      if (this.ctx.mode === "resume") this.usageBase = structuredClone(this.ctx.usage);
      // The turn starts over: what the old OpenCode session asked is gone with it (closed cancelled); the new one asks again.
      if (this.ctx.mode !== "start") await this.sink.inputHeld([]);
      const rules = [...agent.permissions, ...(agent.allowQuestions ? [QUESTION_RULE] : [])];
      const oc = await this.client.createSession({ title: session.title, ...(rules.length ? { permission: rules } : {}) });
      this.ocSessionId = oc.id;
      this.underGate();
      await this.sink.setOpenCodeSession(oc.id);
      // Lost the lease while recording it: the new holder owns the attempt; never prompt.
      if (this.interrupted) return { kind: "interrupted" };
      await this.prompt(conversation.prompt);
    } else {
      this.ocSessionId = conversation.id;
      this.underGate();
      if (conversation.kind === "continue") {
        // The turn that asked died: what OpenCode no longer holds closes, what it holds waits again.
        await this.asks.sync();
        await this.prompt(conversation.prompt);
      }
      else await this.reattach(conversation.id);
    }
    this.phase("prompted");
    await this.waitIdle();
    this.phase("idle");
    return this.conclude();
  }

  private async subscribe(url: string, dir: string): Promise<void> {
    this.sub = this.opts.transport.subscribe({
      baseUrl: url,
      directory: dir,
      onEvent: (e) => this.onEvent(e),
      onStatus: (s, reconnected) => this.onStreamStatus(s, reconnected),
    });
    let connectTimer: NodeJS.Timeout | undefined;
    await Promise.race([
      this.unlessInterrupted(this.sub.ready),
      new Promise((_, reject) => (connectTimer = setTimeout(() => reject(new Error("OpenCode event stream did not connect")), this.opts.connectTimeoutMs))),
    ]).finally(() => clearTimeout(connectTimer));
  }

  /** Restarts of the managed runner when this attempt last (re)attached to it; null: a remote runner. */
  private runnerRestarts: number | null = null;

  /** The managed runner died under the attempt and its replica restarted it since the attempt last attached. */
  private runnerRestarted(): boolean {
    const now = this.lease?.current?.();
    return now != null && this.runnerRestarts !== null && now.restarts !== this.runnerRestarts;
  }

  /**
   * Whether the runner's process died under the attempt, once it is back: a
   * turn that looked finished may have ended with the process (the stream's
   * resync finds the session idle on the new one), and while the process is
   * still restarting there is nothing to tell yet — wait for it (bounded).
   */
  private async runnerRestartedOnceBack(): Promise<boolean> {
    const current = this.lease?.current;
    if (!current || this.runnerRestarts === null) return false;
    const deadline = Date.now() + RUNNER_RESTART_WAIT_MS;
    let now = current();
    while (now === null && Date.now() < deadline && !this.interrupted) {
      await new Promise((r) => setTimeout(r, 200));
      now = current();
    }
    return now !== null && now.restarts !== this.runnerRestarts;
  }

  /**
   * The turn died with the runner's process; the OpenCode session did not:
   * the restarted process serves the same store. Re-attach to it where the
   * process listens now (its port may have changed) and carry the turn on,
   * as an adopter re-attaches — the attempt is not lost and counts nothing.
   */
  private async followRestartedRunner(): Promise<void> {
    const moved = this.takeUpRestartedRunner();
    this.emitLog("warn", `the OpenCode runner's process died under this attempt and was restarted; continuing OpenCode session ${this.ocSessionId} on it`);
    if (moved) {
      this.sub?.close();
      await this.subscribe(this.url!, this.ws!.path!);
    }
    this.idle = false;
    this.idleVia = "none";
    await this.reattach(this.ocSessionId!);
    await this.waitIdle();
  }

  /**
   * OpenCode's model list for `dir` (the first call builds its instance). A
   * runner process that died under the call and was restarted is asked
   * again where it listens now, as a turn follows it.
   */
  private async warmModels(dir: string) {
    for (let tries = 1; ; tries++) {
      const url = this.url!;
      try {
        return await warmUp(url, dir, () => this.opts.transport.client(url, dir, { timeoutMs: 120_000 }).models());
      } catch (e) {
        if (tries >= 3 || this.interrupted || !(await this.runnerRestartedOnceBack())) throw e;
        this.takeUpRestartedRunner();
        this.emitLog("warn", "the OpenCode runner's process died before this attempt's first step and was restarted; going on with it");
      }
    }
  }

  /**
   * Attaches to the restarted runner process: its restart count, and where it
   * listens now (its port may have changed). Whether it moved.
   */
  private takeUpRestartedRunner(): boolean {
    const now = this.lease!.current!()!;
    this.runnerRestarts = now.restarts;
    if (now.url === this.url) return false;
    this.url = now.url;
    this.client = this.opts.transport.client(now.url, this.ws!.path!);
    return true;
  }

  /** After adoption: keep watching a busy session; conclude an idle finished one; continue an interrupted one. */
  private async reattach(id: string): Promise<void> {
    this.emitLog("warn", `re-attaching to OpenCode session ${id}`);
    // Asks made while nobody watched (a dead holder, a restarted runner) are re-read from OpenCode.
    await this.asks.sync();
    const status = (await this.client!.sessionStatus())[id];
    this.opts.log("info", "re-attach", { status: status?.type ?? "idle" });
    // A session adopted while degraded is watched from a healthy stream again.
    this.sink.health("healthy", "re-attached to the OpenCode session");
    // Events the dead holder had not written yet are rebuilt from OpenCode's own record.
    // (Tool calls only: checkpoints of missed steps come at the end, usage is recomputed there.)
    for (const m of await this.readMessages()) for (const part of m.parts) if ((part as { type?: string }).type === "tool") this.onPart(part);
    if (status && status.type !== "idle") {
      this.prompted = true;
      this.busySeen = true;
      return;
    }
    const messages = await this.readMessages();
    const last = messages.at(-1);
    const info = last && OcAssistantInfo.safeParse(last.info);
    if (info?.success && info.data.finish === "stop" && !info.data.error && info.data.time.completed) {
      this.prompted = true;
      this.busySeen = true;
      this.idleWaiter = null;
      return this.markIdle();
    }
    // The holder died before its prompt reached OpenCode: a continuation would carry on a task never given.
    const prompted = messages.some((m) => m.info.role === "user");
    await this.prompt(prompted ? DEFAULT_CONTINUATION : composePrompt(this.ctx));
  }

  /** Sends a prompt; a new turn must be seen busy before an idle counts (a follow-up mid-turn keeps the current one). */
  private async prompt(text: string, newTurn = true): Promise<void> {
    const { agent } = this.ctx;
    if (newTurn) {
      this.busySeen = false;
      this.turn++;
    }
    this.prompted = true;
    await this.client!.promptAsync(this.ocSessionId!, {
      text,
      ...(this.model ? { model: this.model } : {}),
      agent: resolveOpenCodeAgent(agent),
      ...(agent.systemPrompt ? { system: agent.systemPrompt } : {}),
    });
    // An abort sent while the prompt was in flight may have reached OpenCode first.
    if (this.interrupted && this.interrupted !== "detach") await this.abortKnownTurn();
    else if (newTurn) for (const t of this.pendingSends.splice(0)) await this.prompt(t, false);
  }

  private idle = false;
  private idleVia = "none";
  private markIdle(via = "event"): void {
    if (!this.idle) this.idleVia = via;
    this.idle = true;
    const w = this.idleWaiter;
    this.idleWaiter = null;
    w?.();
  }

  private waitIdle(): Promise<void> {
    if (this.idle) return Promise.resolve();
    return new Promise((resolve) => {
      this.idleWaiter = resolve;
      // Safety net: events can be missed across a reconnect; OpenCode's status list is the truth.
      let absent = 0;
      const poll = setInterval(async () => {
        if (this.idle) return clearInterval(poll);
        if (this.runnerRestarted()) return this.markIdle("runner restarted");
        const turn = this.turn;
        const busyAsked = this.busySeen;
        try {
          const st = await this.client?.sessionStatus();
          // Asked before a new turn was prompted (a re-attach's continuation): says nothing of that turn.
          if (turn !== this.turn) return;
          // Busy seen before asking and now absent; or absent twice in a row (the whole turn fell into a stream outage).
          absent = st && this.ocSessionId && this.prompted && !st[this.ocSessionId] ? absent + 1 : 0;
          if (absent >= (busyAsked ? 1 : 2)) this.markIdle("status poll");
        } catch {
          // the stream status handler reports an unreachable runner
        }
      }, 3000);
      const done = resolve;
      this.idleWaiter = () => {
        clearInterval(poll);
        done();
      };
    });
  }

  private onStreamStatus(status: "connected" | "reconnecting", reconnected: boolean): void {
    if (status === "reconnecting") {
      this.sink.health("degraded", "runner unreachable: OpenCode event stream reconnecting");
      return;
    }
    if (!reconnected) return;
    this.sink.health("healthy", "OpenCode event stream reconnected");
    // Events of the gap are lost: OpenCode's status list says whether the turn ended meanwhile
    // (unless a new turn was prompted while it was asked: a restarted runner's re-attach does).
    const turn = this.turn;
    const busyAsked = this.busySeen;
    void this.client
      ?.sessionStatus()
      .then((st) => {
        // Only a read asked once the turn was seen busy tells that it ended.
        if (turn === this.turn && busyAsked && this.ocSessionId && this.prompted && !st[this.ocSessionId]) this.markIdle("resync");
      })
      .catch(() => undefined);
  }

  private onEvent(raw: { type: string; properties: unknown }): void {
    const schema = OcEventProps[raw.type as OcEventType];
    if (!schema) return;
    const parsed = schema.safeParse(raw.properties);
    if (!parsed.success) {
      this.opts.log("warn", "unexpected OpenCode event shape", { type: raw.type, issue: parsed.error.issues[0]?.message });
      return;
    }
    const p = parsed.data as Record<string, unknown>;
    const sid = (p.sessionID as string | undefined) ?? ((p.info ?? p.part) as { sessionID?: string } | undefined)?.sessionID;
    if (!this.ocSessionId) return;
    // A child session (OpenCode's task tool) may ask too: its asks are the attempt's; nothing else of it is.
    if (raw.type === "session.created") return this.asks.sessionCreated((p as { info: { id: string; parentID?: string } }).info, this.ocSessionId);
    if (sid !== this.ocSessionId && !(sid && this.asks.isChild(sid) && /^(permission|question)\./.test(raw.type))) return;
    if (raw.type.startsWith("session.")) this.opts.log("debug", `opencode ${raw.type}`, { status: (p.status as { type?: string } | undefined)?.type });
    switch (raw.type as OcEventType) {
      case "session.status": {
        const st = (p as { status: { type: string; attempt?: number; message?: string } }).status;
        if (st.type === "busy") {
          // busy also comes between OpenCode's retries: health returns only with real progress (onPart).
          this.busySeen = true;
        } else if (st.type === "retry") {
          this.busySeen = true;
          this.retrying = true;
          const n = st.attempt ?? 1;
          this.sink.health("degraded", `model provider error, OpenCode retrying (attempt ${n}): ${st.message ?? ""}`);
          if (n > this.opts.maxProviderRetries && !this.providerGaveUp && !this.interrupted) {
            this.providerGaveUp = st.message ?? "provider error";
            void this.client?.abort(this.ocSessionId).catch(() => undefined);
          }
        } else if (st.type === "idle" && this.busySeen) this.markIdle("session.status idle");
        return;
      }
      case "session.idle":
        if (this.busySeen) this.markIdle("session.idle");
        return;
      case "session.error": {
        const err = (p as { error?: OcError }).error;
        if (!err) return;
        if (err.name !== "MessageAbortedError") this.lastError = err;
        if (!(err.name === "MessageAbortedError" && (this.interrupted || this.providerGaveUp || this.handingOver)))
          this.emitLog("error", `OpenCode: ${classifyOpenCodeError(err).message}`, "opencode");
        return;
      }
      case "message.part.updated":
        return this.onPart((p as { part: unknown }).part);
      case "message.updated": {
        const info = OcAssistantInfo.safeParse((p as { info: unknown }).info);
        if (info.success && info.data.time.completed && info.data.finish && !info.data.error) this.stepFinished(info.data.id);
        return;
      }
      case "todo.updated":
        this.sink.emit([{ type: "session.todo", payload: { todos: (p as { todos: { content: string; status: string; priority: string }[] }).todos.map(({ content, status, priority }) => ({ content, status, priority })) } }]);
        return;
      case "permission.asked":
        return this.asks.asked("permission", p);
      case "question.asked":
        return this.asks.asked("question", p);
      case "permission.replied":
      case "question.replied":
      case "question.rejected":
        return this.asks.settled((p as { requestID: string }).requestID);
    }
  }
  private retrying = false;

  private onPart(raw: unknown): void {
    const parsed = OcPart.safeParse(raw);
    if (!parsed.success) return;
    const part = parsed.data;
    if (this.retrying && (part.type === "step-finish" || part.type === "tool" || part.type === "text")) {
      this.retrying = false;
      this.sink.health("healthy", "model provider answering again");
    }
    if (part.type === "tool") {
      if (this.toolStatus.get(part.callID) === part.state.status) return;
      this.toolStatus.set(part.callID, part.state.status);
      this.sink.emit([toolEvent(part)]);
      if (part.state.status === "completed" || part.state.status === "error") {
        countToolCall(this.usage, part.tool, part.state.status);
        this.sink.usage(structuredClone(this.usage));
      }
    } else if (part.type === "text") {
      if (!part.time?.end || this.seenParts.has(part.id) || !part.text.trim()) return;
      this.seenParts.add(part.id);
      this.emitLog("info", part.text, "assistant");
    } else if (part.type === "step-finish") {
      if (this.seenParts.has(part.id)) return;
      this.seenParts.add(part.id);
      // The model prompted now wrote it; the turn's end recounts by each message's own model (usageOfMessages).
      countModelUsage(this.usage, this.fallback.running, { tokens: tokensOf(part.tokens), costUsd: part.cost, modelCalls: 1 });
      this.sink.usage(structuredClone(this.usage));
      // The step's tools have run: commit now, before the next model call can change files.
      this.stepFinished(part.messageID);
    }
  }

  /** A finished assistant message is a step: commit the worktree and chain a checkpoint. */
  private stepFinished(messageId: string): void {
    this.lastCompletedMessage = messageId;
    if (this.checkpointed.has(messageId)) return;
    this.checkpointed.add(messageId);
    this.enqueueCheckpoint("step", messageId);
  }

  private enqueueCheckpoint(trigger: CheckpointTrigger, messageId: string | null): Promise<void> {
    const job = this.checkpoints.then(async () => {
      const ws = this.ws!;
      const snap = await snapshotWorkspace(ws, `orchestrator: ${trigger} checkpoint${messageId ? ` after ${messageId}` : ""}`);
      if (snap.changed)
        this.sink.emit(snap.files.map((f) => ({ type: "session.file_edited" as const, payload: { path: f.path, added: f.additions ?? 0, removed: f.deletions ?? 0 } })));
      const written = await this.sink.checkpoint({ trigger, openCodeMessageId: messageId, gitCommit: snap.commit, diffStat: snap.diffStat });
      if (written) pushRecordedCheckpoint(this.opts.pusher, this.ctx, ws, { seq: written.seq, commit: snap.commit }, (reason) => this.sink.staleWrite("git", reason));
    });
    this.checkpoints = job.catch((e) => this.opts.log("error", "checkpoint failed", { err: coerceError(e).message }));
    return job;
  }

  /** A dismissed question ended OpenCode's turn: a new one tells the agent why, and it goes on. */
  private async followUpAfterDismissal(): Promise<void> {
    this.idle = false;
    this.idleVia = "none";
    await this.prompt(this.asks.takeFollowUp()!);
    await this.waitIdle();
  }

  private async readMessages(): Promise<OcMessage[]> {
    return parseOcMessages(await this.client!.messages(this.ocSessionId!));
  }

  /** Decides the outcome from OpenCode's state re-read after idle (some updates arrive after the idle event). */
  private async conclude(): Promise<AttemptOutcome> {
    // Handing over: an idle brought on by its abort is no outcome; its checkpoint and push come first
    // (unless the engine stopped waiting for them and detached the attempt itself).
    if (this.handingOver && this.interrupted !== "detach") await this.handingOver;
    if (this.interrupted === "detach") return { kind: "interrupted" };
    for (;;) {
      if (!this.interrupted && this.ocSessionId && (await this.runnerRestartedOnceBack())) await this.followRestartedRunner();
      else if (!this.interrupted && this.ocSessionId && this.asks.hasFollowUp()) await this.followUpAfterDismissal();
      else break;
    }
    // Some message updates land after the idle event (more so under load): re-read until the last answer is final.
    let messages: OcMessage[] = [];
    let assistants: OcAssistantInfo[] = [];
    for (let i = 0; i < 20; i++) {
      if (i > 0) await new Promise((r) => setTimeout(r, 150));
      messages = await this.readMessages();
      assistants = messages.flatMap((m) => (m.info.role === "assistant" ? [m.info as OcAssistantInfo] : []));
      const last = assistants.at(-1);
      if (this.interrupted || (last && (last.error || (last.finish && last.time.completed)))) break;
    }
    this.phase("read");
    for (const a of assistants) if (a.time.completed && a.finish && !a.error) this.stepFinished(a.id);
    this.reconcileUsage(messages);
    await this.checkpoints;
    this.phase("checkpointed");
    if (this.interrupted) {
      if (this.interrupted === "pause") await this.enqueueCheckpoint("pause", this.lastCompletedMessage).catch(() => undefined);
      return { kind: "interrupted" };
    }
    // A provider in trouble: the same OpenCode session goes on on the next fallback model (docs/input-requests.md §3).
    const onNextModel = this.fallback.next(toProviderFailure(this.providerGaveUp, assistants.at(-1)?.error ?? this.lastError));
    if (onNextModel) {
      [this.providerGaveUp, this.lastError, this.idle, this.idleVia] = [null, null, false, "none"];
      await this.prompt(onNextModel);
      await this.waitIdle();
      return this.conclude();
    }
    if (this.providerGaveUp)
      return fail(SessionErrorCode.PROVIDER_UNAVAILABLE, `model provider kept failing after ${this.opts.maxProviderRetries} OpenCode retries: ${this.providerGaveUp}`, true);
    const last = assistants.at(-1);
    const error = last?.error ?? this.lastError;
    if (error) return { kind: "failed", error: classifyOpenCodeError(error) };
    if (!last || !last.finish)
      return fail(
        SessionErrorCode.PROVIDER_ERROR,
        `OpenCode went idle without an assistant answer (${messages.length} messages, last ${messages.at(-1)?.info.role ?? "none"}, idle seen via ${this.idleVia})`,
        true,
      );
    const changes = await summarizeWorkspace(this.ws!);
    this.phase("diffed");
    const lastText = [...messages]
      .reverse()
      .flatMap((m) => m.parts)
      .map((p) => OcPart.safeParse(p))
      .find((r) => r.success && r.data.type === "text");
    // The whole final answer (up to 64 KiB): task planning and context write-back read JSON out of it.
    const summary = lastText?.success && lastText.data.type === "text" ? truncateText(lastText.data.text, FINAL_ANSWER_MAX_CHARS) : "";
    return { kind: "completed", summary, filesChanged: changes.files, diffStat: changes.stat };
  }

  /** The attempt's usage, recomputed from every assistant message of its OpenCode session (plus an earlier one's, see usageBase). */
  private reconcileUsage(messages: OcMessage[]): void {
    this.usage = usageOfMessages(messages, this.usageBase);
    this.sink.usage(structuredClone(this.usage));
  }

  private onInterrupt: (() => void)[] = [];

  /** Waits for `p`, or stops waiting (throws Interrupted) when the attempt is interrupted before it prompted. */
  private unlessInterrupted<T>(p: Promise<T>): Promise<T> {
    if (this.interrupted) {
      // Nobody waits for `p` now: its failure (a runner stopping under it) must not go unhandled.
      p.catch(() => undefined);
      return Promise.reject(new Interrupted());
    }
    return Promise.race([p, new Promise<never>((_, reject) => this.onInterrupt.push(() => reject(new Interrupted())))]);
  }

  private interrupt(reason: InterruptReason): void {
    if (this.interrupted) return;
    this.interrupted = reason;
    for (const f of this.onInterrupt.splice(0)) f();
    if (reason === "detach") return this.markIdle("detach");
    // An aborted turn's asks stay listed in OpenCode: rejected after the abort (and no approval goes out meanwhile).
    this.asks.interrupting();
    void this.abortKnownTurn()
      .then(() => this.asks.rejectAll())
      .catch((e: unknown) => this.opts.log("warn", "the interrupted attempt's asks could not be rejected", { err: coerceError(e).message }));
    if (!this.prompted) return this.markIdle("interrupt");
    // If OpenCode never reports idle (runner gone), do not hang the attempt.
    setTimeout(() => this.markIdle("interrupt timeout"), 5000).unref();
  }

  /**
   * Aborts the OpenCode turn of this attempt, if one may be running: ours, or
   * (adopted, not yet re-attached) the one the dead holder started.
   */
  private async abortKnownTurn(): Promise<void> {
    if (this.interrupted === "detach") return;
    const id = this.ocSessionId ?? this.ctx.attempt.openCodeSessionId;
    const dir = this.ws?.path ?? this.ctx.session.workspace.path;
    if (!id || !this.url || !dir) return;
    const client = this.client ?? this.opts.transport.client(this.url, dir);
    await client.abort(id).catch(() => undefined);
  }

  /** A follow-up: sent into the running turn, or held until the first prompt went out. */
  private async send(text: string): Promise<void> {
    if (this.interrupted) throw new Error("the attempt is being interrupted; the follow-up was not delivered");
    if (!this.ocSessionId || !this.prompted) {
      this.pendingSends.push(text);
      return;
    }
    await this.prompt(text, false);
  }

  private handingOver: Promise<void> | null = null;

  /**
   * The replica stops. A turn on a runner that stops with it would die mid-step:
   * it is aborted first, so the checkpoint holds its last state. The checkpoint
   * (`pause`: the work pauses here and goes on elsewhere) is pushed before the
   * attempt detaches, so whoever adopts it finds it on the work remote. A turn
   * on a runner that outlives the replica goes on, for the adopter to re-attach.
   */
  private async handOver(): Promise<void> {
    if (this.interrupted) return;
    if (this.lease?.stopsWithReplica && this.ocSessionId && this.client) await this.client.abort(this.ocSessionId).catch(() => undefined);
    if (this.ws) {
      await this.enqueueCheckpoint("pause", this.lastCompletedMessage).catch(() => undefined);
      await this.opts.pusher?.flush(this.ctx.session.id).catch(() => false);
    }
    this.interrupt("detach");
  }

  /**
   * Before the session ends, its checkpoints go to the work remote: a replica
   * killed before this is done has not finished the session, which another
   * replica then takes over from the last pushed checkpoint (docs/work-remote.md).
   * Tried again for at most `landWaitMs`: a remote that stays down leaves them to the background pusher.
   */
  private async landCheckpoints(): Promise<void> {
    await this.checkpoints;
    if (!this.ws || !this.opts.pusher) return;
    const waitMs = this.opts.landWaitMs;
    // 0: no wait at all (the operator's choice), the pushes go on in the background.
    if (waitMs === 0) return;
    const landed = await landCheckpoints(this.opts.pusher, this.ctx.session.id, waitMs, 1000, () => this.interrupted !== null);
    if (!landed) this.emitLog("warn", "the session's checkpoints are not on the work remote yet (it did not answer in time): they are pushed in the background");
  }

  private async checkpointNow(trigger: CheckpointTrigger): Promise<void> {
    if (!this.ws) return;
    await this.enqueueCheckpoint(trigger, this.lastCompletedMessage);
  }

  private emitLog(level: "info" | "warn" | "error", text: string, source: "orchestrator" | "assistant" | "opencode" = "orchestrator"): void {
    this.sink.emit([{ type: "session.log", payload: { level, text: truncateText(text), source } }]);
  }
}
