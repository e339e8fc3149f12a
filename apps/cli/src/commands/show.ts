import type { Command } from "commander";
import type { CliContext } from "../context";
import { formatEvent } from "../format/event";
import { formatSessionDetail } from "../format/session";
import { resolveSessionId } from "../resolve-id";
import { action, argument } from "../run-command";

/** How many of the latest events `show` prints under the fields; `logs` has them all. */
const LATEST_EVENTS = 10;

async function show(ctx: CliContext, cmd: Command) {
  const id = await resolveSessionId(ctx.client, argument(cmd));
  const session = await ctx.client.call("getSession", { params: { id } });
  // --json is the session document itself, like every other command's answer; events are `logs --json`.
  if (ctx.json) return ctx.emitJson(session);
  const after = Math.max(0, session.lastEventSeq - LATEST_EVENTS);
  const events = await ctx.client.call("sessionEvents", { params: { id }, query: { after, limit: LATEST_EVENTS } });
  ctx.out(formatSessionDetail(session, ctx.colors, ctx.now()));
  if (events.items.length) {
    ctx.out(
      `\n${ctx.colors.bold("latest events")}${after > 0 ? ctx.colors.dim(` (last ${LATEST_EVENTS}; all with: orchestrator logs ${id})`) : ""}`,
    );
    for (const e of events.items) ctx.out(formatEvent(e, ctx.colors));
  }
}

export function registerShow(program: Command): void {
  program
    .command("show")
    .description("a session's fields, metrics, error, workspace and latest events")
    .argument("<id>", "session id or id prefix")
    .action(action(show));
}
