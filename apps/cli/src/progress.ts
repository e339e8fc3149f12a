import { createSpinner } from "nanospinner";
import type { CliContext } from "./context";

/** A line of "what is happening now" during a long wait. */
export interface Progress {
  update(text: string): void;
  /** Clears the spinner; `final` is left in its place (success or failure mark). */
  stop(final?: { ok: boolean; text: string }): void;
}

const silent: Progress = { update: () => {}, stop: () => {} };

/**
 * A spinner on stderr, only when a person is watching: a TTY and no --json.
 * Piped or machine runs get nothing here (commands print plain lines instead),
 * so logs and JSON never fill with carriage returns.
 */
export function createProgress(ctx: CliContext, text: string): Progress {
  if (!ctx.interactive) return silent;
  const spinner = createSpinner(text, { stream: process.stderr }).start();
  const columns = () => Math.max(20, (process.stderr.columns || 80) - 4);
  return {
    // Cut to the terminal width: a wrapped spinner line cannot be redrawn in place.
    update: (t) => spinner.update({ text: t.length > columns() ? `${t.slice(0, columns() - 1)}…` : t }),
    stop: (final) => {
      if (!final) spinner.clear().stop();
      else if (final.ok) spinner.success({ text: final.text });
      else spinner.error({ text: final.text });
    },
  };
}
