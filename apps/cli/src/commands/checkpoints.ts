import type { Command } from "commander";
import type { CliContext } from "../context";
import { ExitCode } from "../exit-codes";
import { formatCheckpointTable, formatVerification } from "../format/checkpoint";
import { resolveSessionId } from "../resolve-id";
import { action, argument } from "../run-command";

async function checkpoints(ctx: CliContext, cmd: Command) {
  const verify = cmd.opts<{ verify?: boolean }>().verify === true;
  const id = await resolveSessionId(ctx.client, argument(cmd));
  const { items } = await ctx.client.call("listCheckpoints", { params: { id } });
  const verification = verify ? await ctx.client.call("verifyCheckpoints", { params: { id } }) : undefined;
  if (ctx.json) ctx.emitJson({ sessionId: id, items, ...(verification ? { verification } : {}) });
  else {
    ctx.out(items.length ? formatCheckpointTable(items, ctx.colors) : ctx.colors.dim("no checkpoints yet"));
    if (verification) ctx.out(formatVerification(verification, ctx.colors));
  }
  // A broken chain is the one failure --verify exists to report; scripts test it with the exit code.
  return verification && !verification.intact ? ExitCode.SESSION_UNSUCCESSFUL : ExitCode.OK;
}

export function registerCheckpoints(program: Command): void {
  program
    .command("checkpoints")
    .description("a session's checkpoint chain: seq, trigger, time, hash, commit, tokens")
    .argument("<id>", "session id or id prefix")
    .option("--verify", "recompute the hash chain; exit 1 if it is broken")
    .action(action(checkpoints));
}
