import type { SessionView } from "@industrial/contracts";
import type { Command } from "commander";
import type { CliContext } from "../context";
import { statusPaint } from "../format/colors";
import { shortId } from "../format/text";
import { resolveSessionId } from "../resolve-id";
import { action, argument } from "../run-command";

type ActionRoute = "pauseSession" | "resumeSession" | "stopSession" | "cancelSession";

/**
 * What every lifecycle command prints: the new status, and — when the
 * session is running — that the request is pending, because the lease
 * holder (or the scheduler) carries the request out, not the API at once.
 */
export function printActionResult(ctx: CliContext, verb: string, s: SessionView): void {
  if (ctx.json) return ctx.emitJson(s);
  const c = ctx.colors;
  const pending = s.requestedAction ? c.yellow(` (${s.requestedAction} requested; it takes effect shortly)`) : "";
  ctx.out(`${verb}: ${c.bold(shortId(s.id))} is ${statusPaint(c, s.status)(s.status)}${pending}`);
}

/** Registers one of pause/resume/stop/cancel: same shape, different route. */
export function registerSessionAction(program: Command, name: string, route: ActionRoute, description: string): void {
  program
    .command(name)
    .description(description)
    .argument("<id>", "session id or id prefix")
    .action(
      action(async (ctx, cmd) => {
        const id = await resolveSessionId(ctx.client, argument(cmd));
        printActionResult(ctx, name, await ctx.client.call(route, { params: { id } }));
      }),
    );
}
