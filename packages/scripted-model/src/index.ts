/**
 * @industrial/scripted-model — an OpenAI-compatible chat-completions server
 * that replays a script instead of thinking, so tests and the `--demo` mode
 * drive the real OpenCode binary offline. It is a scripted model, not an LLM:
 * say so wherever its output is shown.
 *
 * A user message line `SCRIPT: [...]` sets the script; the step played is the
 * number of assistant messages (with output) after that message, so the model
 * is stateless. See script.ts for the step shapes and step-selection.ts for
 * how sleeps attach to the following step.
 *
 * What OpenCode (1.18.33) sends back decides what counts as played:
 * - a call aborted before it produced output (e.g. during a sleep) is absent
 *   from later requests, so after a continuation prompt it is replayed,
 *   sleep included;
 * - a failed call (an error step) is absent too, so an error step is played
 *   again by every later call at that position: a script cannot get past it.
 */
export {
  createScriptedModel,
  SCRIPTED_MODEL_ID,
  type RecordedRequest,
  type RequestLogLine,
  type RequestOutcome,
  type ScriptedModel,
  type ScriptedModelOptions,
} from "./scripted-model";
export type { ChatMessage, ChatToolCall } from "./chat-request";
export { FAILING_MODELS } from "./reply-plan";
export type { ReplyPlan, PlannedToolCall, ReplySource } from "./reply-plan";
export {
  ERROR_STEP_STATUSES,
  findScript,
  parseScript,
  ScriptParseError,
  type ErrorStepStatus,
  type ScriptAction,
  type ScriptStep,
  type ToolCallSpec,
} from "./script";
export { computeCalls, selectCall, SCRIPT_FINISHED_TEXT, type SelectedCall } from "./step-selection";
export { DEMO_FILE, DEMO_SIGNATURE, DEMO_SUMMARY } from "./demo-script";
export { findWorkingDirectory, resolveToolInput } from "./path-resolution";
export { estimateUsage, type Usage } from "./token-estimate";
