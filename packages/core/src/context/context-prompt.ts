import { CONTEXT_DATA_LIMIT_BYTES, computeJsonBytes, isJsonObject, type Context, type JsonObject } from "./context";
import { findUnstorableText } from "./context-path";

/**
 * How contexts reach an agent and come back from it.
 *
 * In: the first prompt of an attempt starts with the contexts addressed to
 * the session (its own, its agent's, temporary ones for either, and the
 * tenant's global ones) as one fenced JSON block, and one sentence on how to
 * write back.
 *
 * Out: a fenced block opened by a line starting with ```orchestrator-context
 * in the session's final answer, holding one JSON object. When the session
 * completes, that object is deep-merged into the session's own context.
 */
export const CONTEXT_WRITE_BACK_FENCE = "orchestrator-context";

/** What the agent sees of a context. */
export type PromptContext = Pick<Context, "id" | "scope" | "name" | "version" | "data">;

/** Most JSON put into one prompt; contexts past it are left out and counted. */
export const PROMPT_CONTEXTS_LIMIT_BYTES = 64 * 1024;

const SCOPE_ORDER = { session: 0, temporary: 1, agent: 2, global: 3 } as const;

/**
 * The block that opens the first prompt of an attempt, or null when the
 * session has no contexts (the prompt is then left exactly as written).
 * The session's own contexts come first, global ones last; whole contexts
 * are kept until PROMPT_CONTEXTS_LIMIT_BYTES.
 */
export function renderContextsForPrompt(
  contexts: readonly PromptContext[],
  limitBytes = PROMPT_CONTEXTS_LIMIT_BYTES,
): string | null {
  if (contexts.length === 0) return null;
  const ordered = [...contexts].sort((a, b) => SCOPE_ORDER[a.scope] - SCOPE_ORDER[b.scope]);
  const kept: PromptContext[] = [];
  let bytes = 2;
  for (const c of ordered) {
    const entry = { id: c.id, scope: c.scope, name: c.name, version: c.version, data: c.data };
    const size = computeJsonBytes(entry as unknown as JsonObject) + 1;
    if (bytes + size > limitBytes) continue;
    bytes += size;
    kept.push(entry);
  }
  const left = contexts.length - kept.length;
  return (
    `Shared contexts of this session (JSON: its own, its agent's and global ones)${left ? `; ${left} more left out as too large` : ""}:\n` +
    "```json\n" +
    `${JSON.stringify(kept)}\n` +
    "```\n" +
    `To save facts for later sessions, end your final answer with a fenced block opened by \`\`\`${CONTEXT_WRITE_BACK_FENCE} holding one JSON object: it is deep-merged into this session's context.`
  );
}

export type ContextWriteBack =
  { kind: "none" } | { kind: "invalid"; reason: string } | { kind: "ok"; data: JsonObject };

// The opening fence must start a line: the instruction above names it mid-sentence, so an
// answer that quotes the prompt does not write anything. The block ends at the next ```.
const BLOCK = new RegExp("^```" + CONTEXT_WRITE_BACK_FENCE + "[^\\S\\n]*\\n?([\\s\\S]*?)```", "gm");

/**
 * The write-back block of a final answer. Several blocks: the last one
 * counts. It must be one JSON object of at most CONTEXT_DATA_LIMIT_BYTES.
 */
export function extractContextWriteBack(answer: string): ContextWriteBack {
  const blocks = [...answer.matchAll(BLOCK)];
  const last = blocks.at(-1);
  if (!last) return { kind: "none" };
  const body = last[1]!.trim();
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch (e) {
    return { kind: "invalid", reason: `not JSON (${(e as Error).message})` };
  }
  if (!isJsonObject(parsed)) return { kind: "invalid", reason: "not a JSON object" };
  const unstorable = findUnstorableText(parsed);
  if (unstorable)
    return {
      kind: "invalid",
      reason: `${unstorable} holds a NUL character or a lone surrogate, which cannot be stored`,
    };
  const bytes = computeJsonBytes(parsed);
  if (bytes > CONTEXT_DATA_LIMIT_BYTES)
    return { kind: "invalid", reason: `${bytes} bytes, over the ${CONTEXT_DATA_LIMIT_BYTES}-byte limit of a context` };
  return { kind: "ok", data: parsed };
}
