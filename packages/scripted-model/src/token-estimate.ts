import { type ChatMessage, messageText } from "./chat-request";

/**
 * Usage the scripted model reports, so tokens and cost flow through OpenCode
 * and the orchestrator as with a real model. The common rule of thumb of
 * about four characters per token is close enough for English and code.
 */
export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

export const CHARS_PER_TOKEN = 4;

/** Characters of a request's messages: their text plus any tool call names and arguments. */
export function countMessageChars(messages: readonly ChatMessage[]): number {
  let chars = 0;
  for (const m of messages) {
    chars += messageText(m).length;
    for (const call of m.tool_calls ?? [])
      chars += (call.function?.name?.length ?? 0) + (call.function?.arguments?.length ?? 0);
  }
  return chars;
}

/**
 * prompt = ceil(request characters / 4), completion = max(1, ceil(output characters / 4)).
 */
export function estimateUsage(messages: readonly ChatMessage[], outputChars: number): Usage {
  const prompt = Math.ceil(countMessageChars(messages) / CHARS_PER_TOKEN);
  const completion = Math.max(1, Math.ceil(outputChars / CHARS_PER_TOKEN));
  return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
}
