import { coerceError, type AskedInput, type AttemptSink, type InputDelivery } from "@industrial/core";
import type { OcClient } from "./ports";
import { OcPermissionRequest, OcQuestionRequest } from "./opencode-events";

// OpenCode's permission asks and questions of one attempt become input
// requests a person answers (docs/input-requests.md §3, Driver). The facts
// this relies on were measured on the real binary (§1): a permission reject
// goes on only when it carries a message, so every reject carries one; a
// question dismissed ends the turn, so the driver prompts a follow-up; an
// abort leaves the ask listed, so an interrupted attempt rejects its own.

/** Kept whole up to this size in the request (the inbox shows it); longer ones are cut. */
const DIFF_MAX_CHARS = 64 * 1024;

export const DEFAULT_REJECT_MESSAGE =
  "The person reviewing this request rejected it. Do not try it again; go on with the rest of the task without it.";

export interface InputAsksDeps {
  client(): OcClient | null;
  /** A session's parent (to tell a child session of the attempt's, after a re-attach); null when unknown. */
  parentOf?(sessionId: string): Promise<string | null>;
  ocSessionId(): string | null;
  /** Questions reach a person only for agents that allow them; others' are dismissed at once. */
  allowQuestions: boolean;
  sink: Pick<AttemptSink, "inputRequested" | "inputGone" | "inputHeld">;
  emitLog(level: "info" | "warn", text: string): void;
}

/** Thrown when an answer cannot be sent yet (the attempt is not attached to its OpenCode session): the holder tries again. */
export class NotAttachedYet extends Error {
  override name = "NotAttachedYet";
}

/** What the inbox shows of an OpenCode request. */
export function toAskedInput(kind: AskedInput["kind"], raw: unknown): AskedInput | null {
  if (kind === "permission") {
    const r = OcPermissionRequest.safeParse(raw);
    if (!r.success) return null;
    const { diff, command } = r.data.metadata as { diff?: unknown; command?: unknown };
    return {
      kind,
      openCodeRequestId: r.data.id,
      openCodeSessionId: r.data.sessionID,
      payload: {
        name: r.data.permission,
        patterns: r.data.patterns,
        ...(typeof diff === "string"
          ? {
              diff:
                diff.length > DIFF_MAX_CHARS
                  ? `${diff.slice(0, DIFF_MAX_CHARS)}\n… (cut at ${DIFF_MAX_CHARS} characters)`
                  : diff,
            }
          : {}),
        ...(typeof command === "string" ? { command } : {}),
      },
    };
  }
  const r = OcQuestionRequest.safeParse(raw);
  if (!r.success) return null;
  return {
    kind,
    openCodeRequestId: r.data.id,
    openCodeSessionId: r.data.sessionID,
    payload: {
      questions: r.data.questions.map((q) => ({
        question: q.question,
        header: q.header,
        options: q.options.map((o) => ({ label: o.label, description: o.description })),
        multiple: q.multiple ?? false,
        // OpenCode's own default: typing an answer is allowed unless the question says otherwise.
        custom: q.custom ?? true,
      })),
    },
  };
}

export class InputAsks {
  /** OpenCode request ids this attempt asked and nobody answered through us yet. */
  private readonly pending = new Map<string, AskedInput["kind"]>();
  private followUp: string | null = null;
  /** Set once the attempt is interrupted: an approval arriving now is sent as a reject (the turn is being aborted). */
  private closing = false;
  /** Child sessions of the attempt's (OpenCode's task tool), whose asks wait for a person too. */
  private readonly children = new Set<string>();

  constructor(private readonly deps: InputAsksDeps) {}

  /** A session OpenCode created: a child (or grandchild) of the attempt's is watched for asks. */
  sessionCreated(info: { id: string; parentID?: string }, root: string): void {
    if (info.parentID && (info.parentID === root || this.children.has(info.parentID))) this.children.add(info.id);
  }

  isChild(sessionId: string): boolean {
    return this.children.has(sessionId);
  }

  /** Whether a session descends from the attempt's (a re-attached driver saw no session.created of it). */
  private async isDescendant(sessionId: string, root: string): Promise<boolean> {
    let id = sessionId;
    for (let depth = 0; depth < 5; depth++) {
      const parent = this.children.has(id) ? root : ((await this.deps.parentOf?.(id).catch(() => null)) ?? null);
      if (parent === null) return false;
      if (parent === root) {
        this.children.add(sessionId);
        return true;
      }
      id = parent;
    }
    return false;
  }

  /** The attempt is being interrupted: from now on no approval reaches OpenCode. */
  interrupting(): void {
    this.closing = true;
  }

  /** A `permission.asked` / `question.asked` of the attempt's session, or one found by `sync`. */
  asked(kind: AskedInput["kind"], raw: unknown): void {
    const ask = toAskedInput(kind, raw);
    if (!ask || this.pending.has(ask.openCodeRequestId)) return;
    if (kind === "question" && !this.deps.allowQuestions) {
      this.deps.emitLog(
        "warn",
        "the agent asked a question, but it does not allow questions (allowQuestions): dismissed",
      );
      // Owed before the reject goes out: the turn it ends may be seen idle before the call answers.
      this.followUp = "Questions cannot be answered in this run. Decide yourself and go on with the task.";
      void this.deps
        .client()
        ?.rejectQuestion(ask.openCodeRequestId)
        .catch(() => undefined);
      return;
    }
    this.pending.set(ask.openCodeRequestId, kind);
    this.deps.emitLog(
      "info",
      `waiting for a person: OpenCode asks ${kind === "permission" ? `for permission "${(ask.payload as { name: string }).name}"` : "a question"} (the inbox lists it)`,
    );
    void this.deps.sink.inputRequested(ask).catch((e: unknown) => {
      // Not recorded (the lease went, or the database failed past its retries): the next event or re-read tries again.
      this.pending.delete(ask.openCodeRequestId);
      this.deps.emitLog(
        "warn",
        `OpenCode's request ${ask.openCodeRequestId} could not be recorded: ${coerceError(e).message}`,
      );
    });
  }

  /** OpenCode says a request was answered or dismissed; one not answered through us was answered elsewhere. */
  settled(openCodeRequestId: string): void {
    if (!this.pending.delete(openCodeRequestId)) return;
    void this.deps.sink.inputGone([openCodeRequestId]).catch(() => undefined);
  }

  /** Sends a person's answer (or an expiry) to OpenCode; false when OpenCode no longer holds the request. */
  async deliver(d: InputDelivery): Promise<boolean> {
    const client = this.deps.client();
    if (!client || !this.deps.ocSessionId())
      throw new NotAttachedYet("the attempt is not attached to its OpenCode session yet");
    // Forgotten first: the replied event this causes is ours, not an answer from elsewhere.
    this.pending.delete(d.openCodeRequestId);
    if (this.closing) {
      // The turn is being aborted (pause, stop, …): nothing may run now; the resumed agent asks again.
      return d.kind === "permission"
        ? client.replyPermission(d.openCodeRequestId, "reject", "The session was interrupted.")
        : client.rejectQuestion(d.openCodeRequestId);
    }
    if (d.kind === "permission")
      return client.replyPermission(
        d.openCodeRequestId,
        d.reply,
        d.reply === "reject" ? (d.message ?? DEFAULT_REJECT_MESSAGE) : d.message,
      );
    if ("answers" in d) return client.replyQuestion(d.openCodeRequestId, d.answers);
    // A dismissed question ends OpenCode's turn: the next one tells the agent why, and it goes on. Owed before
    // the call goes out (its idle may come first); withdrawn when OpenCode no longer held the question.
    const before = this.followUp;
    this.followUp =
      d.message ?? "The person dismissed your question without an answer. Decide yourself and go on with the task.";
    const held = await client.rejectQuestion(d.openCodeRequestId).catch((e: unknown) => {
      this.followUp = before;
      throw e;
    });
    if (!held) this.followUp = before;
    return held;
  }

  hasFollowUp(): boolean {
    return this.followUp !== null;
  }

  /** The follow-up prompt owed after a dismissed question (taken once). */
  takeFollowUp(): string | null {
    const text = this.followUp;
    this.followUp = null;
    return text;
  }

  /**
   * After a re-attach (adoption, a restarted runner): OpenCode's own list is
   * the truth. Requests it holds are (re)recorded — the store ignores one it
   * has — and the attempt's recorded ones it no longer holds are gone.
   */
  async sync(): Promise<void> {
    const client = this.deps.client();
    const sid = this.deps.ocSessionId();
    if (!client || !sid) return;
    try {
      const [permissions, questions] = await Promise.all([client.listPermissions(), client.listQuestions()]);
      const held: string[] = [];
      for (const [kind, list] of [
        ["permission", permissions],
        ["question", questions],
      ] as const)
        for (const r of list) {
          if (r.sessionID !== sid && !(await this.isDescendant(r.sessionID, sid))) continue;
          held.push(r.id);
          this.asked(kind, r);
        }
      // Asks that arrived meanwhile are held too: only what OpenCode dropped is gone.
      await this.deps.sink.inputHeld([...held, ...this.pending.keys()]);
    } catch (e) {
      this.deps.emitLog("warn", `OpenCode's pending requests could not be re-read: ${coerceError(e).message}`);
    }
  }

  /**
   * The attempt is interrupted (pause, stop, timeout, budget): OpenCode keeps
   * an aborted turn's asks listed, so they are rejected here; the store closes
   * its rows with the session's status change.
   */
  async rejectAll(): Promise<void> {
    this.closing = true;
    const client = this.deps.client();
    const asks = [...this.pending];
    this.pending.clear();
    if (!client) return;
    await Promise.all(
      asks.map(([id, kind]) =>
        (kind === "permission"
          ? client.replyPermission(id, "reject", "The session was interrupted.")
          : client.rejectQuestion(id)
        ).catch(() => false),
      ),
    );
  }
}
