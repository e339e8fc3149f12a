import type { PlannedToolCall } from "./reply-plan";
import type { Usage } from "./token-estimate";

/**
 * The OpenAI chat-completions wire format, as `@ai-sdk/openai-compatible`
 * (inside OpenCode) parses it: a plain `chat.completion` object, or SSE
 * `chat.completion.chunk`s, a finish chunk, a usage chunk and `data: [DONE]`.
 * Pure builders; the server only writes what they return.
 */

/** An answer that succeeded: text, or one or more tool calls. */
export type Answer = { kind: "text"; text: string } | { kind: "tools"; calls: PlannedToolCall[] };

export interface WireMeta {
  id: string;
  created: number;
  model: string;
  /** Tool call ids are `${callIdPrefix}_${index}`; unique per answer. */
  callIdPrefix: string;
}

/** Characters of output, for the completion token estimate. */
export function countAnswerChars(answer: Answer): number {
  if (answer.kind === "text") return answer.text.length;
  return answer.calls.reduce((n, c) => n + c.name.length + JSON.stringify(c.input).length, 0);
}

const finishReason = (answer: Answer) => (answer.kind === "tools" ? "tool_calls" : "stop");

function toolCalls(answer: Answer, meta: WireMeta) {
  if (answer.kind !== "tools") return [];
  return answer.calls.map((c, i) => ({
    id: `${meta.callIdPrefix}_${i}`,
    type: "function" as const,
    function: { name: c.name, arguments: JSON.stringify(c.input) },
  }));
}

/** The non-streaming `chat.completion` body. */
export function completionBody(answer: Answer, meta: WireMeta, usage: Usage): Record<string, unknown> {
  const calls = toolCalls(answer, meta);
  return {
    id: meta.id,
    object: "chat.completion",
    created: meta.created,
    model: meta.model,
    choices: [
      {
        index: 0,
        message: {
          role: "assistant",
          content: answer.kind === "text" ? answer.text : null,
          ...(calls.length ? { tool_calls: calls } : {}),
        },
        finish_reason: finishReason(answer),
      },
    ],
    usage,
  };
}

/** Splits text into pieces of at most `size` characters (at least one piece). */
export function splitText(text: string, size: number): string[] {
  if (text.length <= size) return [text];
  const pieces: string[] = [];
  for (let i = 0; i < text.length; i += size) pieces.push(text.slice(i, i + size));
  return pieces;
}

const TEXT_PIECE = 48;
const ARGUMENT_PIECE = 64;

/**
 * The SSE frames of a streamed answer, each a complete `data: …\n\n` frame,
 * ending with the usage chunk and `data: [DONE]`. Text and tool arguments are
 * split into several deltas so clients see a real stream.
 */
export function streamFrames(answer: Answer, meta: WireMeta, usage: Usage): string[] {
  const frame = (body: unknown) => `data: ${JSON.stringify(body)}\n\n`;
  const chunk = (delta: Record<string, unknown>, finish: string | null = null) =>
    frame({
      id: meta.id,
      object: "chat.completion.chunk",
      created: meta.created,
      model: meta.model,
      choices: [{ index: 0, delta, finish_reason: finish }],
    });
  const frames = [chunk({ role: "assistant", content: "" })];
  if (answer.kind === "text") {
    for (const piece of splitText(answer.text, TEXT_PIECE)) frames.push(chunk({ content: piece }));
  } else {
    toolCalls(answer, meta).forEach((c, index) => {
      frames.push(
        chunk({
          tool_calls: [{ index, id: c.id, type: "function", function: { name: c.function.name, arguments: "" } }],
        }),
      );
      for (const piece of splitText(c.function.arguments, ARGUMENT_PIECE))
        frames.push(chunk({ tool_calls: [{ index, function: { arguments: piece } }] }));
    });
  }
  frames.push(chunk({}, finishReason(answer)));
  frames.push(
    frame({
      id: meta.id,
      object: "chat.completion.chunk",
      created: meta.created,
      model: meta.model,
      choices: [],
      usage,
    }),
  );
  frames.push("data: [DONE]\n\n");
  return frames;
}

/** OpenAI's error body. */
export function errorBody(
  type: string,
  message: string,
): { error: { message: string; type: string; param: null; code: null } } {
  return { error: { message, type, param: null, code: null } };
}
