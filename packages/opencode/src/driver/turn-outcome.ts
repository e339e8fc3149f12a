import {
  SessionErrorCode,
  truncateText,
  type AttemptOutcome,
  type InterruptReason,
  type SessionError,
  type Workspace,
} from "@industrial/core";
import { summarizeWorkspace } from "../workspace";
import { classifyOpenCodeError } from "./classify-error";
import type { IdleWatch } from "./idle-watch";
import type { InputAsks } from "./input-asks";
import { toProviderFailure, type ModelFallback } from "./model-fallback";
import { OcPart, type OcAssistantInfo, type OcError, type OcMessage } from "./opencode-events";
import type { StepCheckpoints } from "./step-checkpoints";
import type { TurnEvents } from "./turn-events";

/** The whole final answer is kept up to this size: task planning and context write-back read JSON out of it. */
const FINAL_ANSWER_MAX_CHARS = 65_536;
/** Re-reads of the messages after idle, and the pause between two. */
const FINAL_READS = 20;
const FINAL_READ_PAUSE_MS = 150;

export type Fail = { kind: "failed"; error: SessionError };

export const fail = (code: string, message: string, retryable: boolean): Fail => ({
  kind: "failed",
  error: { code, message, retryable },
});

/** The attempt's OpenCode session re-read after idle. */
export interface FinalMessages {
  messages: OcMessage[];
  assistants: OcAssistantInfo[];
}

/**
 * Some message updates land after the idle event (more so under load):
 * re-read until the last answer is final (finished or failed), for a bounded time.
 */
export async function readFinalMessages(
  read: () => Promise<OcMessage[]>,
  interrupted: () => boolean,
): Promise<FinalMessages> {
  let messages: OcMessage[] = [];
  let assistants: OcAssistantInfo[] = [];
  for (let i = 0; i < FINAL_READS; i++) {
    if (i > 0) await new Promise((r) => setTimeout(r, FINAL_READ_PAUSE_MS));
    messages = await read();
    assistants = messages.flatMap((m) => (m.info.role === "assistant" ? [m.info as OcAssistantInfo] : []));
    const last = assistants.at(-1);
    if (interrupted() || (last && (last.error || (last.finish && last.time.completed)))) break;
  }
  return { messages, assistants };
}

/**
 * How a turn that was not interrupted ended, from its messages re-read after
 * idle (never from the idle event alone): failed — the provider kept failing,
 * OpenCode reported an error, or there is no finished answer — or answered,
 * with the last text of the conversation as the summary.
 */
export function decideTurnEnd(input: {
  final: FinalMessages;
  providerGaveUp: string | null;
  lastError: OcError | null;
  maxProviderRetries: number;
  /** What told that the turn was over (IdleWatch.via). */
  idleVia: string;
}): Fail | { kind: "answered"; summary: string } {
  const { messages, assistants } = input.final;
  if (input.providerGaveUp)
    return fail(
      SessionErrorCode.PROVIDER_UNAVAILABLE,
      `model provider kept failing after ${input.maxProviderRetries} OpenCode retries: ${input.providerGaveUp}`,
      true,
    );
  const last = assistants.at(-1);
  const error = last?.error ?? input.lastError;
  if (error) return { kind: "failed", error: classifyOpenCodeError(error) };
  if (!last || !last.finish)
    return fail(
      SessionErrorCode.PROVIDER_ERROR,
      `OpenCode went idle without an assistant answer (${messages.length} messages, last ${messages.at(-1)?.info.role ?? "none"}, idle seen via ${input.idleVia})`,
      true,
    );
  const lastText = [...messages]
    .reverse()
    .flatMap((m) => m.parts)
    .map((p) => OcPart.safeParse(p))
    .find((r) => r.success && r.data.type === "text");
  // The whole final answer (up to 64 KiB): task planning and context write-back read JSON out of it.
  const summary =
    lastText?.success && lastText.data.type === "text" ? truncateText(lastText.data.text, FINAL_ANSWER_MAX_CHARS) : "";
  return { kind: "answered", summary };
}

export interface ConcludeDeps {
  interrupted(): InterruptReason | null;
  /** The hand-over under way, if any (its checkpoint and push come before any outcome). */
  handingOver(): Promise<void> | null;
  ocSessionId(): string | null;
  /** Whether the runner's process died under the turn (waits while it restarts; runner-connection.ts). */
  runnerRestarted(): Promise<boolean>;
  /** Re-attaches to the turn on the restarted process and waits for its idle. */
  followRestartedRunner(): Promise<void>;
  /** Prompts `text` in the same OpenCode session and waits for its idle. */
  continueTurn(text: string): Promise<void>;
  readMessages(): Promise<OcMessage[]>;
  asks: InputAsks;
  checkpoints: StepCheckpoints;
  events: TurnEvents;
  fallback: ModelFallback;
  idle: IdleWatch;
  maxProviderRetries: number;
  workspace(): Workspace;
  /** Where an attempt's time goes (debug log). */
  phase(name: string): void;
}

/**
 * The attempt's outcome, once its turn went idle. A turn that died with its
 * runner's process or ended on a dismissed question goes on first; the
 * messages are then re-read (some updates arrive after the idle event), the
 * missed steps checkpointed and the usage recounted. A provider in trouble
 * moves the same OpenCode session on to the next fallback model; anything
 * else is decided by `decideTurnEnd`.
 */
export async function concludeTurn(deps: ConcludeDeps): Promise<AttemptOutcome> {
  const { checkpoints, events } = deps;
  // Handing over: an idle brought on by its abort is no outcome; its checkpoint and push come first
  // (unless the engine stopped waiting for them and detached the attempt itself).
  const handingOver = deps.handingOver();
  if (handingOver && deps.interrupted() !== "detach") await handingOver;
  if (deps.interrupted() === "detach") return { kind: "interrupted" };
  for (;;) {
    if (!deps.interrupted() && deps.ocSessionId() && (await deps.runnerRestarted())) await deps.followRestartedRunner();
    // A dismissed question ended OpenCode's turn: a new one tells the agent why, and it goes on.
    else if (!deps.interrupted() && deps.ocSessionId() && deps.asks.hasFollowUp())
      await deps.continueTurn(deps.asks.takeFollowUp()!);
    else break;
  }
  const final = await readFinalMessages(deps.readMessages, () => deps.interrupted() !== null);
  deps.phase("read");
  for (const a of final.assistants) if (a.time.completed && a.finish && !a.error) checkpoints.stepFinished(a.id);
  events.reconcileUsage(final.messages);
  await checkpoints.settled();
  deps.phase("checkpointed");
  const interrupted = deps.interrupted();
  if (interrupted) {
    if (interrupted === "pause") await checkpoints.afterLastStep("pause").catch(() => undefined);
    return { kind: "interrupted" };
  }
  // A provider in trouble: the same OpenCode session goes on on the next fallback model (docs/input-requests.md §3).
  const onNextModel = deps.fallback.next(
    toProviderFailure(events.providerGaveUp, final.assistants.at(-1)?.error ?? events.lastError),
  );
  if (onNextModel) {
    events.clearFailures();
    await deps.continueTurn(onNextModel);
    return concludeTurn(deps);
  }
  const end = decideTurnEnd({
    final,
    providerGaveUp: events.providerGaveUp,
    lastError: events.lastError,
    maxProviderRetries: deps.maxProviderRetries,
    idleVia: deps.idle.via,
  });
  if (end.kind === "failed") return end;
  const changes = await summarizeWorkspace(deps.workspace());
  deps.phase("diffed");
  return { kind: "completed", summary: end.summary, filesChanged: changes.files, diffStat: changes.stat };
}
