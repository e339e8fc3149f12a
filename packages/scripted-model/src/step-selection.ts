import type { ScriptAction, ScriptStep } from "./script";

/**
 * Step selection. Sleep steps are not calls of their own: each attaches to
 * the action step that follows it. So call k (0-based) plays the k-th action
 * step of the script after waiting the sum of the sleep steps right before
 * it. Sleeps after the last action make one more call that waits, then
 * answers with a short final text; any call past the end answers a short
 * final text at once.
 */

/** What one call plays. `step` is the index of the action in the script, null when synthesised. */
export interface SelectedCall {
  waitMs: number;
  action: ScriptAction;
  step: number | null;
}

/** The final text of a call after the script ran out (also ends any trailing sleep). */
export const SCRIPT_FINISHED_TEXT = "Scripted model: the script is finished.";

/** Groups a script into calls: each action with the sleep that precedes it. */
export function computeCalls(steps: readonly ScriptStep[]): SelectedCall[] {
  const calls: SelectedCall[] = [];
  let pendingMs = 0;
  steps.forEach((s, i) => {
    if (s.kind === "sleep") {
      pendingMs += s.ms;
      return;
    }
    calls.push({ waitMs: pendingMs, action: s, step: i });
    pendingMs = 0;
  });
  if (pendingMs > 0)
    calls.push({ waitMs: pendingMs, action: { kind: "text", text: SCRIPT_FINISHED_TEXT }, step: null });
  return calls;
}

/** The call to play when `callIndex` calls of this script were already played. */
export function selectCall(steps: readonly ScriptStep[], callIndex: number): SelectedCall {
  return (
    computeCalls(steps)[callIndex] ?? { waitMs: 0, action: { kind: "text", text: SCRIPT_FINISHED_TEXT }, step: null }
  );
}
