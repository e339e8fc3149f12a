import type { Command } from "commander";
import { z } from "zod";
import type { CliContext } from "../context";
import { intOption, parseOptions } from "../options";
import { resolveSessionId } from "../resolve-id";
import { action, argument } from "../run-command";
import { printActionResult } from "./session-action";

const RetryOptions = z
  .object({ fromCheckpoint: intOption(1, 1_000_000).optional(), fresh: z.boolean().default(false) })
  .refine((o) => !(o.fresh && o.fromCheckpoint !== undefined), {
    path: ["fresh"],
    error: "--fresh and --from-checkpoint exclude each other",
  });

async function retry(ctx: CliContext, cmd: Command) {
  const o = parseOptions(RetryOptions, cmd.opts());
  const id = await resolveSessionId(ctx.client, argument(cmd));
  // Neither option: the server retries from the latest checkpoint.
  const body = o.fresh ? { fresh: true } : o.fromCheckpoint !== undefined ? { fromCheckpoint: o.fromCheckpoint } : {};
  printActionResult(ctx, "retry", await ctx.client.call("retrySession", { params: { id }, body }));
}

export function registerRetry(program: Command): void {
  program
    .command("retry")
    .description("retry a failed, timed-out or stopped session (default: from its latest checkpoint)")
    .argument("<id>", "session id or id prefix")
    .option("--from-checkpoint <seq>", "rewind to this checkpoint first (see `checkpoints <id>`)")
    .option("--fresh", "start over from the base, discarding the work so far")
    .action(action(retry));
}
