import type { SessionView } from "@industrial/contracts";
import { SESSION_STATUSES } from "@industrial/core";
import type { Command } from "commander";
import { z } from "zod";
import type { CliContext } from "../context";
import { formatSessionTable } from "../format/session";
import { enumListOption, intOption, parseOptions } from "../options";
import { action } from "../run-command";

const LsOptions = z.object({
  status: enumListOption(SESSION_STATUSES).optional(),
  limit: intOption(1, 200).default(50),
  all: z.boolean().default(false),
});

async function ls(ctx: CliContext, cmd: Command) {
  const o = parseOptions(LsOptions, cmd.opts());
  const items: SessionView[] = [];
  let cursor: string | undefined;
  let page;
  // --all follows nextCursor; --limit is then the page size of each request.
  do {
    page = await ctx.client.call("listSessions", {
      query: { limit: o.limit, ...(o.status ? { status: o.status } : {}), ...(cursor ? { cursor } : {}) },
    });
    items.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (o.all && cursor);

  const nextCursor = o.all ? null : page.nextCursor;
  if (ctx.json) return ctx.emitJson({ items, nextCursor, total: page.total });
  if (items.length === 0)
    return ctx.out(
      ctx.colors.dim(
        o.status
          ? `no sessions with status ${o.status.join(", ")}`
          : "no sessions yet; create one with `orchestrator submit`",
      ),
    );
  ctx.out(formatSessionTable(items, ctx.colors, ctx.now()));
  if (nextCursor) ctx.out(ctx.colors.dim(`${items.length} of ${page.total} shown; --all lists every one`));
}

export function registerLs(program: Command): void {
  program
    .command("ls")
    .description("list sessions, newest first")
    .option("--status <statuses>", `only these statuses, comma-separated (${SESSION_STATUSES.join(", ")})`)
    .option("--limit <n>", "sessions per page, 1–200", "50")
    .option("--all", "follow the pages to the end")
    .action(action(ls));
}
