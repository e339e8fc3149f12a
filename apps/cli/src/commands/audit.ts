import type { AuditEntryView } from "@industrial/contracts";
import type { Command } from "commander";
import { z } from "zod";
import { timeOption } from "../access-options";
import type { CliContext } from "../context";
import { formatAuditTable } from "../format/access";
import { intOption, parseOptions } from "../options";
import { action } from "../run-command";

const AuditOptions = (now: Date) =>
  z.object({
    actor: z.string().trim().min(1).max(200).optional(),
    action: z.string().trim().min(1).max(100).optional(),
    target: z.string().trim().min(1).max(500).optional(),
    since: timeOption(now, "before").optional(),
    until: timeOption(now, "before").optional(),
    limit: intOption(1, 200).default(50),
    cursor: z.string().min(1).max(512).optional(),
    all: z.boolean().default(false),
  });

async function audit(ctx: CliContext, cmd: Command) {
  const o = parseOptions(AuditOptions(ctx.now()), cmd.opts());
  const filters = {
    ...(o.actor ? { actor: o.actor } : {}),
    ...(o.action ? { action: o.action } : {}),
    ...(o.target ? { target: o.target } : {}),
    ...(o.since ? { from: o.since } : {}),
    ...(o.until ? { to: o.until } : {}),
  };
  const items: AuditEntryView[] = [];
  let cursor = o.cursor;
  let page;
  // --all follows nextCursor; otherwise one page, and the cursor of the next is printed to continue from.
  do {
    page = await ctx.client.call("listAudit", { query: { limit: o.limit, ...filters, ...(cursor ? { cursor } : {}) } });
    items.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (o.all && cursor);

  const nextCursor = o.all ? null : page.nextCursor;
  if (ctx.json) return ctx.emitJson({ items, nextCursor, total: page.total });
  if (items.length === 0)
    return ctx.out(
      ctx.colors.dim(Object.keys(filters).length ? "no audit entries match these filters" : "no audit entries yet"),
    );
  ctx.out(formatAuditTable(items, ctx.colors));
  if (nextCursor)
    ctx.out(ctx.colors.dim(`${items.length} of ${page.total} shown; more with --cursor ${nextCursor} (or --all)`));
}

export function registerAudit(program: Command): void {
  program
    .command("audit")
    .description("who did what, newest first: every mutating request and session action (lead or admin)")
    .option("--actor <actor>", "only this actor: user:<id>, key:<id>, or a bare user or key id")
    .option("--action <action>", "only this operation (createSession, stopSession, revokeApiKey…)")
    .option("--target <text>", "only entries whose target contains this (an id, a path)")
    .option("--since <when>", "from then on: a duration back from now (2h, 7d) or an ISO date")
    .option("--until <when>", "up to then: a duration back from now or an ISO date")
    .option("--limit <n>", "entries per page, 1–200", "50")
    .option("--cursor <cursor>", "continue from where a previous page ended")
    .option("--all", "follow the pages to the end")
    .action(action(audit, { notFound: "the audit log has no such page; start again without --cursor" }));
}
