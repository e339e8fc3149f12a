import { renderContextsForPrompt, type AttemptContext } from "@industrial/core";

export const DEFAULT_CONTINUATION = "Continue the task from where you stopped. The workspace holds the work done so far.";

/**
 * The text of the first prompt of an attempt: the session's contexts (when
 * it has any) first — the prompt's own text must stay last, the scripted
 * model reads its `SCRIPT:` line to the end of the message — then a note on
 * earlier attempts, then the session's prompt.
 */
export function composePrompt(ctx: AttemptContext): string {
  const contexts = renderContextsForPrompt(ctx.contexts ?? []);
  const prompt =
    ctx.attempt.number <= 1
      ? ctx.session.prompt
      : `This is attempt ${ctx.attempt.number} of this session; earlier attempts did not finish. ` +
        `The workspace holds their work. Carry the task to completion.\n\n${ctx.session.prompt}`;
  return contexts ? `${contexts}\n\n${prompt}` : prompt;
}
