import { type ChatMessage, messageTextParts } from "./chat-request";

/**
 * Scripts: what a prompt tells the scripted model to play. A user message
 * holds a line `SCRIPT:` followed by a JSON array of steps (to the end of the
 * message). Wire shapes of a step, one per LLM call:
 *
 *   {"tool": "write", "input": {...}}                 one tool call
 *   {"tools": [{"tool": "...", "input": {...}}, ...]} parallel tool calls
 *   {"text": "..."}                                    final answer (ends the turn)
 *   {"sleep_ms": 1500}                                 wait before the next action
 *   {"error": {"status": 400|429|503, "message": "..."}} fail the call
 *
 * Parsing normalises them into `ScriptStep`s; anything else is rejected with
 * a message that says which step is wrong and why.
 */

/** One tool call to emit. `input` becomes the call's JSON arguments. */
export interface ToolCallSpec {
  tool: string;
  input: Record<string, unknown>;
}

/** The HTTP statuses an error step may use (400 fails the session, 429/503 are retried by OpenCode). */
export const ERROR_STEP_STATUSES = [400, 429, 503] as const;
export type ErrorStepStatus = (typeof ERROR_STEP_STATUSES)[number];

/** A step that answers one LLM call. */
export type ScriptAction =
  | { kind: "tools"; calls: ToolCallSpec[] }
  | { kind: "text"; text: string }
  | { kind: "error"; status: ErrorStepStatus; message: string | null };

export type ScriptStep = ScriptAction | { kind: "sleep"; ms: number };

/** The longest sleep a step may ask for (one hour): longer is surely a typo. */
export const MAX_SLEEP_MS = 3_600_000;

/** Thrown by `parseScript` with a message fit to send back as `invalid SCRIPT: …`. */
export class ScriptParseError extends Error {
  override readonly name = "ScriptParseError";
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const STEP_KEYS = ["tool", "tools", "text", "sleep_ms", "error"] as const;

function parseToolCall(value: unknown, where: string): ToolCallSpec {
  if (!isRecord(value)) throw new ScriptParseError(`${where} must be an object like {"tool": "write", "input": {...}}`);
  const extra = Object.keys(value).filter((k) => k !== "tool" && k !== "input");
  if (extra.length)
    throw new ScriptParseError(`${where} has unknown field(s) ${extra.join(", ")} (expected tool and input)`);
  if (typeof value.tool !== "string" || value.tool.trim() === "")
    throw new ScriptParseError(`${where}.tool must be a non-empty string`);
  if (value.input !== undefined && !isRecord(value.input))
    throw new ScriptParseError(`${where}.input must be an object`);
  return { tool: value.tool, input: (value.input as Record<string, unknown> | undefined) ?? {} };
}

function parseStep(value: unknown, i: number): ScriptStep {
  const where = `step ${i}`;
  if (!isRecord(value)) throw new ScriptParseError(`${where} must be an object, got ${JSON.stringify(value)}`);
  const present = STEP_KEYS.filter((k) => k in value);
  if (present.length !== 1) {
    throw new ScriptParseError(
      `${where} has an unknown shape: it needs exactly one of ${STEP_KEYS.join(", ")}` +
        (present.length
          ? ` (found ${present.join(" and ")})`
          : ` (found ${Object.keys(value).join(", ") || "no fields"})`),
    );
  }
  const key = present[0];
  if (key === "tool") return { kind: "tools", calls: [parseToolCall(value, where)] };
  const extra = Object.keys(value).filter((k) => k !== key);
  if (extra.length) throw new ScriptParseError(`${where} (${key}) has unknown field(s) ${extra.join(", ")}`);
  switch (key) {
    case "tools": {
      if (!Array.isArray(value.tools) || value.tools.length === 0)
        throw new ScriptParseError(`${where}.tools must be a non-empty array`);
      return { kind: "tools", calls: value.tools.map((c, j) => parseToolCall(c, `${where}.tools[${j}]`)) };
    }
    case "text":
      if (typeof value.text !== "string") throw new ScriptParseError(`${where}.text must be a string`);
      return { kind: "text", text: value.text };
    case "sleep_ms": {
      const ms = value.sleep_ms;
      if (typeof ms !== "number" || !Number.isFinite(ms) || ms < 0 || ms > MAX_SLEEP_MS) {
        throw new ScriptParseError(`${where}.sleep_ms must be a number of milliseconds from 0 to ${MAX_SLEEP_MS}`);
      }
      return { kind: "sleep", ms: Math.round(ms) };
    }
    case "error": {
      const e = value.error;
      if (!isRecord(e))
        throw new ScriptParseError(`${where}.error must be an object like {"status": 400, "message": "..."}`);
      const status = e.status;
      if (!ERROR_STEP_STATUSES.some((s) => s === status)) {
        throw new ScriptParseError(`${where}.error.status must be one of ${ERROR_STEP_STATUSES.join(", ")}`);
      }
      if (e.message !== undefined && typeof e.message !== "string")
        throw new ScriptParseError(`${where}.error.message must be a string`);
      const extraErr = Object.keys(e).filter((k) => k !== "status" && k !== "message");
      if (extraErr.length) throw new ScriptParseError(`${where}.error has unknown field(s) ${extraErr.join(", ")}`);
      return { kind: "error", status: status as ErrorStepStatus, message: (e.message as string | undefined) ?? null };
    }
    default:
      throw new ScriptParseError(`${where} has an unknown shape`);
  }
}

/** Parses the text after `SCRIPT:`. Throws `ScriptParseError`. */
export function parseScript(source: string): ScriptStep[] {
  const text = source.trim();
  if (!text.startsWith("[")) throw new ScriptParseError("SCRIPT: must be followed by a JSON array of steps");
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new ScriptParseError(`the JSON after SCRIPT: does not parse (${(e as Error).message})`);
  }
  if (!Array.isArray(json)) throw new ScriptParseError("SCRIPT: must be followed by a JSON array of steps");
  return json.map(parseStep);
}

const SCRIPT_LINE = /^SCRIPT:/m;

/** Where the script of a request comes from, if any. */
export type ScriptLookup =
  | { kind: "script"; anchor: number; steps: ScriptStep[] }
  | { kind: "invalid"; anchor: number; error: string }
  | { kind: "none" };

/**
 * Finds the most recent user message holding a `SCRIPT:` line and parses it.
 * The JSON runs to the end of the message's text part that holds the line
 * (OpenCode may send a user message as several parts; a part added after the
 * script must not break it).
 */
export function findScript(messages: readonly ChatMessage[]): ScriptLookup {
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i];
    if (m?.role !== "user") continue;
    for (const part of messageTextParts(m)) {
      const match = SCRIPT_LINE.exec(part);
      if (!match) continue;
      try {
        return { kind: "script", anchor: i, steps: parseScript(part.slice(match.index + "SCRIPT:".length)) };
      } catch (e) {
        return { kind: "invalid", anchor: i, error: (e as Error).message };
      }
    }
  }
  return { kind: "none" };
}

/** The text before a `SCRIPT:` line: what a person wrote as the prompt. */
export function promptWithoutScript(text: string): string {
  const match = SCRIPT_LINE.exec(text);
  return (match ? text.slice(0, match.index) : text).trim();
}
