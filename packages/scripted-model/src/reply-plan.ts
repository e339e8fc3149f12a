import { type ChatRequest, countPlayedCalls, lastUserIndex, messageText, systemPromptText } from "./chat-request";
import { computeDemoScript } from "./demo-script";
import { neutralizeFatalMessage } from "./fatal-message";
import { findWorkingDirectory, resolveToolInput } from "./path-resolution";
import { type ErrorStepStatus, findScript, type ScriptStep } from "./script";
import { selectCall } from "./step-selection";
import { computeTitle } from "./title";

/**
 * The whole decision of the scripted model for one request, as a pure
 * function of the request: the server only sleeps and writes what this says.
 * Because it depends on the request alone, the model is stateless: a session
 * that was paused and resumed carries on from the history OpenCode sends.
 */

/** Where the played step came from: the script, the default demo, or a model that fails every call. */
export type ReplySource = "script" | "demo" | "model";

export interface PlannedToolCall {
  name: string;
  input: Record<string, unknown>;
}

interface CallInfo {
  /** Milliseconds to wait before answering. */
  waitMs: number;
  /** 0-based number of this call since the script's user message. */
  call: number;
  /** Index of the played step in the script (null when synthesised). */
  step: number | null;
  source: ReplySource;
}

export type ReplyPlan =
  | { kind: "title"; text: string }
  | ({ kind: "text"; text: string } & CallInfo)
  | ({ kind: "tools"; calls: PlannedToolCall[] } & CallInfo)
  | ({
      kind: "error";
      status: ErrorStepStatus;
      errorType: string;
      message: string;
      retryAfterSeconds?: number;
    } & CallInfo)
  | { kind: "invalid-script"; status: 400; errorType: "invalid_request_error"; message: string };

/**
 * Models that stand for a provider in trouble (model fallback is tried
 * against them): every call to them fails, whatever the script says.
 */
export const FAILING_MODELS = {
  /** A provider whose quota is spent: 429 with `retry-after: 1`. */
  "scripted-unavailable": {
    status: 429,
    errorType: "rate_limit_error",
    message: "scripted model: scripted-unavailable answers every call 429 (rate limited)",
    retryAfterSeconds: 1,
  },
  /** A provider that is overloaded: 503. */
  "scripted-overloaded": {
    status: 503,
    errorType: "overloaded_error",
    message: "scripted model: scripted-overloaded answers every call 503 (overloaded)",
  },
} as const satisfies Record<
  string,
  { status: ErrorStepStatus; errorType: string; message: string; retryAfterSeconds?: number }
>;

const isFailingModel = (model: string): model is keyof typeof FAILING_MODELS => Object.hasOwn(FAILING_MODELS, model);

export const NO_USER_MESSAGE_TEXT = "Scripted model: there is no user message to answer.";

const ERROR_TYPES: Record<ErrorStepStatus, string> = {
  400: "invalid_request_error",
  429: "rate_limit_error",
  503: "server_error",
};

function defaultErrorMessage(status: ErrorStepStatus, step: number | null): string {
  const at = step === null ? "" : ` (script step ${step})`;
  switch (status) {
    case 400:
      return `scripted model: bad request${at}`;
    case 429:
      return `scripted model: rate limit${at}`;
    case 503:
      return `scripted model: service unavailable${at}`;
  }
}

/** Plans the reply to one chat-completions request. */
export function planReply(request: ChatRequest): ReplyPlan {
  const { messages } = request;
  const lastUser = lastUserIndex(messages);
  const lastUserMessage = messages[lastUser];
  // A provider in trouble fails every call, its title calls too.
  if (isFailingModel(request.model))
    return { kind: "error", ...FAILING_MODELS[request.model], waitMs: 0, call: 0, step: null, source: "model" };
  // Tool-less calls are OpenCode's title (or summary) generation with
  // small_model: answer a title, and never consume a script step.
  if (request.toolNames.length === 0)
    return { kind: "title", text: computeTitle(lastUserMessage ? messageText(lastUserMessage) : "") };

  const lookup = findScript(messages);
  if (lookup.kind === "invalid") {
    return {
      kind: "invalid-script",
      status: 400,
      errorType: "invalid_request_error",
      message: neutralizeFatalMessage(`invalid SCRIPT: ${lookup.error}`),
    };
  }
  let anchor: number;
  let steps: ScriptStep[];
  let source: ReplySource;
  if (lookup.kind === "script") {
    ({ anchor, steps } = lookup);
    source = "script";
  } else {
    if (!lastUserMessage)
      return { kind: "text", text: NO_USER_MESSAGE_TEXT, waitMs: 0, call: 0, step: null, source: "demo" };
    anchor = lastUser;
    steps = computeDemoScript(messageText(lastUserMessage));
    source = "demo";
  }

  const call = countPlayedCalls(messages, anchor);
  const selected = selectCall(steps, call);
  const info: CallInfo = { waitMs: selected.waitMs, call, step: selected.step, source };
  const { action } = selected;
  switch (action.kind) {
    case "text":
      return { kind: "text", text: action.text, ...info };
    case "tools": {
      const cwd = findWorkingDirectory(systemPromptText(messages));
      return {
        kind: "tools",
        calls: action.calls.map((c) => ({ name: c.tool, input: resolveToolInput(c.input, cwd) })),
        ...info,
      };
    }
    case "error": {
      const message = action.message ?? defaultErrorMessage(action.status, selected.step);
      return {
        kind: "error",
        status: action.status,
        errorType: ERROR_TYPES[action.status],
        message: action.status === 400 ? neutralizeFatalMessage(message) : message,
        ...info,
      };
    }
  }
}
