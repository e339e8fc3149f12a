import type { InboxItem } from "@industrial/core";
import { INPUT_REQUEST_KINDS } from "@industrial/core";
import type { Command } from "commander";
import { z } from "zod";
import type { CliContext } from "../context";
import { formatInboxTable } from "../format/inbox";
import { enumOption, intOption, parseOptions } from "../options";
import { resolveAgentId, resolveSessionId } from "../resolve-id";
import { action } from "../run-command";

const InboxOptions = z.object({
  session: z.string().trim().min(1).optional(),
  agent: z.string().trim().min(1).optional(),
  kind: enumOption(INPUT_REQUEST_KINDS).optional(),
  limit: intOption(1, 200).default(50),
  all: z.boolean().default(false),
});

/** `inbox`: the tenant's open permissions and questions, oldest first (docs/input-requests.md §3, CLI). */
async function inbox(ctx: CliContext, cmd: Command) {
  const o = parseOptions(InboxOptions, cmd.opts());
  const filters = {
    ...(o.session ? { sessionId: await resolveSessionId(ctx.client, o.session) } : {}),
    ...(o.agent ? { agentId: await resolveAgentId(ctx.client, o.agent) } : {}),
    ...(o.kind ? { kind: o.kind } : {}),
  };
  const items: InboxItem[] = [];
  let cursor: string | undefined;
  let page;
  do {
    page = await ctx.client.call("listInbox", { query: { limit: o.limit, ...filters, ...(cursor ? { cursor } : {}) } });
    items.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (o.all && cursor);

  const nextCursor = o.all ? null : page.nextCursor;
  if (ctx.json) return ctx.emitJson({ items, nextCursor, total: page.total });
  const c = ctx.colors;
  if (items.length === 0)
    return ctx.out(
      c.dim(Object.keys(filters).length ? "no open requests match these filters" : "nothing waits for an answer"),
    );
  ctx.out(formatInboxTable(items, c, ctx.now()));
  if (nextCursor) ctx.out(c.dim(`${items.length} of ${page.total} shown; --all lists every one`));
  ctx.out(
    c.dim(
      "answer with `orchestrator reply <id> once|always|reject` (a permission) or `orchestrator answer <id> <answer…>` (a question)",
    ),
  );
}

export function registerInbox(program: Command): void {
  program
    .command("inbox")
    .description("what agents wait for a person to answer: permissions and questions, oldest first")
    .option("--session <id>", "only this session's (id or id prefix)")
    .option("--agent <agent>", "only this agent's sessions' (name, id or id prefix)")
    .option("--kind <kind>", `only ${INPUT_REQUEST_KINDS.join(" or ")} requests`)
    .option("--limit <n>", "requests per page, 1–200", "50")
    .option("--all", "follow the pages to the end")
    .action(action(inbox));
}
