/**
 * The parts of an OpenAI chat-completions request the scripted model reads,
 * and pure helpers over its messages. OpenCode (through
 * `@ai-sdk/openai-compatible`) is the only client we care about, but the
 * request arrives from the network, so it is checked once here and every
 * field the rest of the package does not need stays `unknown`.
 */

/** One tool call as OpenAI sends it back in an assistant message. */
export interface ChatToolCall {
  id?: string;
  type?: string;
  function?: { name?: string; arguments?: string };
}

/** One message of the request: `content` is a string, an array of parts, or null. */
export interface ChatMessage {
  role: string;
  content?: unknown;
  tool_calls?: ChatToolCall[];
  tool_call_id?: string;
  [key: string]: unknown;
}

/** A validated chat-completions request body. */
export interface ChatRequest {
  model: string;
  messages: ChatMessage[];
  /** Names of the function tools offered; empty for tool-less calls (title generation). */
  toolNames: string[];
  stream: boolean;
  /** The sampling temperature asked for, or null when the client sent none. */
  temperature: number | null;
}

export type ParseChatRequestResult = { ok: true; request: ChatRequest } | { ok: false; error: string };

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** Checks the request body shape; never throws. */
export function parseChatRequest(body: unknown): ParseChatRequestResult {
  if (!isRecord(body)) return { ok: false, error: "request body must be a JSON object" };
  if (!Array.isArray(body.messages)) return { ok: false, error: "messages must be an array" };
  const messages: ChatMessage[] = [];
  for (const [i, m] of body.messages.entries()) {
    if (!isRecord(m) || typeof m.role !== "string")
      return { ok: false, error: `messages[${i}] must be an object with a string role` };
    const toolCalls = Array.isArray(m.tool_calls) ? m.tool_calls.filter(isRecord) : undefined;
    messages.push({ ...m, role: m.role, ...(toolCalls ? { tool_calls: toolCalls as ChatToolCall[] } : {}) });
  }
  const tools = Array.isArray(body.tools) ? body.tools : [];
  const toolNames = tools.flatMap((t) =>
    isRecord(t) && isRecord(t.function) && typeof t.function.name === "string" ? [t.function.name] : [],
  );
  return {
    ok: true,
    request: {
      model: typeof body.model === "string" ? body.model : "scripted-model",
      messages,
      toolNames,
      stream: body.stream === true,
      temperature: typeof body.temperature === "number" ? body.temperature : null,
    },
  };
}

/**
 * The text parts of a message, in order. A string content is one part; an
 * array content keeps its `text` parts (images and files are skipped).
 */
export function messageTextParts(message: ChatMessage): string[] {
  const { content } = message;
  if (typeof content === "string") return [content];
  if (!Array.isArray(content)) return [];
  return content.flatMap((p) => {
    if (typeof p === "string") return [p];
    if (isRecord(p) && typeof p.text === "string") return [p.text];
    return [];
  });
}

/** All text of a message joined with newlines. */
export function messageText(message: ChatMessage): string {
  return messageTextParts(message).join("\n");
}

/** The system prompt: every system message's text, joined. */
export function systemPromptText(messages: readonly ChatMessage[]): string {
  return messages
    .filter((m) => m.role === "system")
    .map(messageText)
    .join("\n");
}

/** Index of the last user message, or -1. */
export function lastUserIndex(messages: readonly ChatMessage[]): number {
  for (let i = messages.length - 1; i >= 0; i--) if (messages[i]?.role === "user") return i;
  return -1;
}

/**
 * Whether an assistant message is the record of a call that really produced
 * something. OpenCode drops aborted calls that produced nothing from the
 * history it sends, but an empty assistant message must still never count as
 * a played step: a call cut off while the scripted model slept has to be
 * replayed after a continuation prompt, not skipped.
 */
export function carriesOutput(message: ChatMessage): boolean {
  if (message.role !== "assistant") return false;
  if ((message.tool_calls?.length ?? 0) > 0) return true;
  return messageText(message).trim().length > 0;
}

/**
 * How many calls were already played after the message at `anchor`: the
 * assistant messages after it that carry output. A trailing assistant message
 * is a prefill OpenCode appends (its "max steps" notice), not a past call, so
 * it is not counted.
 */
export function countPlayedCalls(messages: readonly ChatMessage[], anchor: number): number {
  const end = messages.at(-1)?.role === "assistant" ? messages.length - 1 : messages.length;
  let count = 0;
  for (let i = anchor + 1; i < end; i++) {
    const m = messages[i];
    if (m && carriesOutput(m) && !diedWithItsProcess(messages, i)) count++;
  }
  return count;
}

/**
 * The result OpenCode sends back for a tool call that was still pending or
 * running when its process died (it replays the stored call with this error).
 */
export const INTERRUPTED_TOOL_RESULT = "[Tool execution was interrupted]";

/**
 * Whether every tool call of the assistant message at `index` came back as
 * interrupted by the death of OpenCode's process. Such a call did nothing the
 * agent can count on (the file was maybe never written), so a model would
 * try it again: it is replayed, not skipped. A call aborted on purpose (a
 * pause) keeps counting — OpenCode reports that one differently.
 */
export function diedWithItsProcess(messages: readonly ChatMessage[], index: number): boolean {
  const ids = (messages[index]?.tool_calls ?? []).map((c) => c.id);
  if (ids.length === 0 || ids.some((id) => id === undefined)) return false;
  const results = new Map<string, string>();
  for (let i = index + 1; i < messages.length && messages[i]?.role === "tool"; i++) {
    const m = messages[i]!;
    if (typeof m.tool_call_id === "string") results.set(m.tool_call_id, messageText(m).trim());
  }
  return ids.every((id) => results.get(id!) === INTERRUPTED_TOOL_RESULT);
}
