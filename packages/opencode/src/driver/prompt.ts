import type { AttemptContext } from "@industrial/core";

export const DEFAULT_CONTINUATION = "Continue the task from where you stopped. The workspace holds the work done so far.";

/** The text of the first prompt of an attempt. */
export function composePrompt(ctx: AttemptContext): string {
  if (ctx.attempt.number <= 1) return ctx.session.prompt;
  return (
    `This is attempt ${ctx.attempt.number} of this session; earlier attempts did not finish. ` +
    `The workspace holds their work. Carry the task to completion.\n\n${ctx.session.prompt}`
  );
}
