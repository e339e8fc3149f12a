import type { AttemptDriver } from "@industrial/core";
import { OpenCodeAttemptRun } from "./attempt-run";
import type { AttemptRunOptions } from "./ports";

/** The AttemptDriver that runs attempts through OpenCode servers. */
export function createOpenCodeDriver(options: AttemptRunOptions): AttemptDriver {
  return {
    start(ctx, sink) {
      return new OpenCodeAttemptRun(ctx, sink, {
        ...options,
        log: (level, msg, extra) =>
          options.log(level, msg, { sessionId: ctx.session.id, attempt: ctx.attempt.number, ...extra }),
      }).handle;
    },
  };
}
