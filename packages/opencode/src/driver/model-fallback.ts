import {
  computeModelCandidates,
  decideModelSwitch,
  type AttemptSink,
  type ModelSwitchReason,
  type ProviderFailure,
} from "@industrial/core";
import type { OcError } from "./opencode-events";

/** What the agent is told when its turn goes on on another model (the scripted model finds its script further up). */
const REASON_TEXT: Record<ModelSwitchReason, string> = {
  unavailable: "its provider kept failing",
  auth: "its provider refused the credentials",
  quota: "its quota is spent",
};

/** How the turn failed, in core's words: OpenCode's retries past the limit, or the error it ended with (an abort is not a failure). */
export function toProviderFailure(gaveUp: string | null, error: OcError | null | undefined): ProviderFailure | null {
  if (gaveUp !== null) return { kind: "retries_exhausted", message: gaveUp };
  if (!error || error.name === "MessageAbortedError") return null;
  const data = error.data ?? {};
  return {
    kind: "error",
    name: error.name,
    status: typeof data.statusCode === "number" ? data.statusCode : null,
    message: typeof data.message === "string" ? data.message : error.name,
  };
}

/**
 * The attempt's model as a cursor over `[its first model, ...its agent's
 * fallbackModels]` (docs/input-requests.md §3, Model fallback). Only moves
 * forward: a model left once is not tried again in this attempt. The decision
 * is core's `decideModelSwitch`; this holds the position, says what happened
 * (`session.model_switched`) and words the prompt that goes on.
 */
export class ModelFallback {
  /** The model prompts name; null: OpenCode's configured default. */
  current: string | null;
  /** What the event calls the current model (OpenCode's default resolved once its model list is known). */
  private label: string | null;
  private candidates: string[] = [];

  constructor(
    first: string | null,
    private readonly fallbacks: readonly string[],
    private readonly sink: AttemptSink,
  ) {
    this.current = this.label = first;
  }

  /** The model answering now, as events name it (OpenCode's default resolved); null before the model list is known. */
  get running(): string | null {
    return this.label;
  }

  /** Once the runner's model list is known: the fallbacks it cannot run are dropped, with a log line. */
  limitTo(models: { available: readonly string[]; defaultModel: string | null }): void {
    this.label = this.current ?? models.defaultModel;
    if (!this.label) return;
    const { candidates, dropped } = computeModelCandidates({
      first: this.label,
      fallbacks: this.fallbacks,
      available: models.available,
    });
    this.candidates = candidates;
    if (dropped.length)
      this.sink.emit([
        {
          type: "session.log",
          payload: {
            level: "warn",
            text: `fallback model${dropped.length > 1 ? "s" : ""} ${dropped.join(", ")} not configured in OpenCode: left out`,
            source: "orchestrator",
          },
        },
      ]);
  }

  /**
   * After a failed turn: the continuation prompt for the next model when core
   * says to switch (the event written, the cursor moved), else null (the
   * attempt ends as it would without fallbacks).
   */
  next(failure: ProviderFailure | null): string | null {
    if (!this.label) return null;
    const d = decideModelSwitch({ failure, current: this.label, candidates: this.candidates });
    if (!d.switch) return null;
    this.candidates = this.candidates.slice(this.candidates.indexOf(d.to) + 1);
    this.current = this.label = d.to;
    this.sink.emit([{ type: "session.model_switched", payload: { from: d.from, to: d.to, reason: d.reason } }]);
    return `The model ${d.from} stopped working (${REASON_TEXT[d.reason]}); you now run on ${d.to}. Continue the task where it stopped: what was done so far is in this conversation and the workspace.`;
  }
}
