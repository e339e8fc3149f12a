import type { SessionEvent } from "@industrial/core";
import type { Command } from "commander";
import type { CliContext } from "../context";
import { exitCodeForOutcome } from "../exit-codes";
import { followEvents } from "../follow";
import { formatEvent } from "../format/event";
import { resolveSessionId } from "../resolve-id";
import { action, argument } from "../run-command";

async function logs(ctx: CliContext, cmd: Command) {
  const follow = cmd.opts<{ follow?: boolean }>().follow === true;
  const id = await resolveSessionId(ctx.client, argument(cmd));
  // Under --json the events are gathered and printed as one document at the end.
  const collected: SessionEvent[] = [];
  const lastSeq = await followEvents(ctx.client, id, {
    after: 0,
    follow,
    onEvents: (events) => {
      if (ctx.json) collected.push(...events);
      else for (const e of events) ctx.out(formatEvent(e, ctx.colors));
    },
  });
  if (!follow) {
    if (ctx.json) ctx.emitJson({ sessionId: id, items: collected, lastSeq });
    return;
  }
  const final = await ctx.client.call("getSession", { params: { id } });
  if (ctx.json) ctx.emitJson({ sessionId: id, items: collected, lastSeq, status: final.status });
  else ctx.note(ctx.errColors.dim(`session ${final.status}`));
  return exitCodeForOutcome(final.status);
}

export function registerLogs(program: Command): void {
  program
    .command("logs")
    .description("print a session's event log from the start, one line per event")
    .argument("<id>", "session id or id prefix")
    .option("-f, --follow", "keep printing new events until the session finishes; exit 0 if it completed, 1 if not")
    .action(action(logs));
}
