import { renderContextsForPrompt, type AttemptContext } from "@industrial/core";

export const DEFAULT_CONTINUATION =
  "Continue the task from where you stopped. The workspace holds the work done so far.";

/** What earlier runs left in the workspace, for an agent that continues in a new conversation. */
export interface WorkDone {
  /** The newest checkpoint and the agent's last words before it (null: no checkpoint). */
  checkpoint: { seq: number; note: string | null } | null;
  /** The workspace against the session's base, as it is when the attempt begins. */
  stat: { files: number; additions: number; deletions: number };
  files: readonly string[];
}

const MAX_LISTED_FILES = 50;
const MAX_NOTE_CHARS = 2000;

/** "What was already done": the checkpoint, the diff stat and the files, and the agent's last note. */
export function describeWorkDone(done: WorkDone): string {
  const { stat, files } = done;
  const at = done.checkpoint ? ` (checkpoint ${done.checkpoint.seq})` : "";
  const listed = files.slice(0, MAX_LISTED_FILES).join(", ");
  const more = files.length > MAX_LISTED_FILES ? `, and ${files.length - MAX_LISTED_FILES} more` : "";
  const changes =
    stat.files === 0
      ? "no file differs from the base yet."
      : `${stat.files} file${stat.files === 1 ? "" : "s"} changed against the base, +${stat.additions} −${stat.deletions}: ${listed}${more}.`;
  const note = done.checkpoint?.note?.trim();
  const said = note
    ? `\nYour last note before it: ${note.length > MAX_NOTE_CHARS ? `${note.slice(0, MAX_NOTE_CHARS)}…` : note}`
    : "";
  return `What was already done${at}, and is in the workspace now: ${changes}${said}`;
}

/**
 * The text of the first prompt of an attempt: the session's contexts (when
 * it has any) first — the prompt's own text must stay last, the scripted
 * model reads its `SCRIPT:` line to the end of the message — then a note on
 * earlier attempts and what they did, then the session's prompt.
 */
export function composePrompt(ctx: AttemptContext, done: WorkDone | null = null): string {
  const contexts = renderContextsForPrompt(ctx.contexts ?? []);
  const earlier =
    ctx.attempt.number <= 1
      ? done
        ? `This session continues here in a new conversation; the workspace holds its work.\n${describeWorkDone(done)}`
        : ""
      : `This is attempt ${ctx.attempt.number} of this session; earlier attempts did not finish (they failed, were stopped, or were lost with the machine that ran them). ` +
        `The workspace holds their work. Carry the task to completion.${done ? `\n${describeWorkDone(done)}` : ""}`;
  const prompt = earlier ? `${earlier}\n\n${ctx.session.prompt}` : ctx.session.prompt;
  return contexts ? `${contexts}\n\n${prompt}` : prompt;
}

/**
 * A paused session resumed where its OpenCode session cannot be continued
 * (another replica's runner had it, or a restore rewound the files but not
 * the conversation): a new conversation, told what was done and the
 * follow-up messages sent meanwhile, then the session's prompt, last.
 */
export function composeMovedResumePrompt(ctx: AttemptContext, done: WorkDone): string {
  const followUps = ctx.continuation ? `\nMessages sent to you while the session was paused:\n${ctx.continuation}` : "";
  return `This session was paused and continues here in a new conversation; the workspace holds its work. Carry the task to completion.\n${describeWorkDone(done)}${followUps}\n\n${ctx.session.prompt}`;
}
