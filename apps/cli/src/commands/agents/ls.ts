import type { AgentView } from "@industrial/contracts";
import { AGENT_STATUSES, AGENT_TYPES, CAPABILITIES, TIERS } from "@industrial/core";
import type { Command } from "commander";
import { z } from "zod";
import type { CliContext } from "../../context";
import { formatAgentTable } from "../../format/agent";
import { collect, intOption, parseOptions, repeatedEnumOption } from "../../options";
import { action } from "../../run-command";
import { AGENT_HINTS } from "./hints";

const LsOptions = z.object({
  type: repeatedEnumOption(AGENT_TYPES).optional(),
  capability: repeatedEnumOption(CAPABILITIES).optional(),
  // Tiers are upper-case on the wire; `--tier elite` is what people type.
  tier: z
    .array(z.string())
    .transform((l) => l.map((t) => t.toUpperCase()))
    .pipe(repeatedEnumOption(TIERS))
    .optional(),
  status: repeatedEnumOption(AGENT_STATUSES).optional(),
  available: z.boolean().default(false),
  limit: intOption(1, 200).default(50),
  all: z.boolean().default(false),
});

async function ls(ctx: CliContext, cmd: Command) {
  const o = parseOptions(LsOptions, cmd.opts());
  const filters = {
    ...(o.type ? { type: o.type } : {}),
    ...(o.capability ? { capability: o.capability } : {}),
    ...(o.tier ? { tier: o.tier } : {}),
    ...(o.status ? { status: o.status } : {}),
    ...(o.available ? { available: "true" as const } : {}),
  };
  const items: AgentView[] = [];
  let cursor: string | undefined;
  let page;
  // --all follows nextCursor; --limit is then the page size of each request.
  do {
    page = await ctx.client.call("listAgents", {
      query: { limit: o.limit, ...filters, ...(cursor ? { cursor } : {}) },
    });
    items.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (o.all && cursor);

  const nextCursor = o.all ? null : page.nextCursor;
  if (ctx.json) return ctx.emitJson({ items, nextCursor, total: page.total });
  if (items.length === 0)
    return ctx.out(
      ctx.colors.dim(
        Object.keys(filters).length
          ? "no agents match these filters"
          : "no agents registered; add one with `orchestrator agents add`",
      ),
    );
  ctx.out(formatAgentTable(items, ctx.colors));
  if (nextCursor) ctx.out(ctx.colors.dim(`${items.length} of ${page.total} shown; --all lists every one`));
}

export function registerAgentsLs(agents: Command): void {
  agents
    .command("ls")
    .description("list agents by name: type, tier, status, load, success rate, breaker, runner")
    .option("--type <type>", `only these agent types (repeat or comma-separate: ${AGENT_TYPES.join(", ")})`, collect)
    .option(
      "--capability <capability>",
      "only agents with every one of these capabilities (repeat or comma-separate)",
      collect,
    )
    .option("--tier <tier>", `only these tiers (${TIERS.join(", ")})`, collect)
    .option("--status <status>", `only these statuses (${AGENT_STATUSES.join(", ")})`, collect)
    .option("--available", "only agents that can take a session now")
    .option("--limit <n>", "agents per page, 1–200", "50")
    .option("--all", "follow the pages to the end")
    .action(action(ls, AGENT_HINTS));
}
