import { CAPABILITIES, SESSION_TYPES } from "@industrial/core";
import type { Command } from "commander";
import { z } from "zod";
import type { CliContext } from "../../context";
import { ExitCode } from "../../exit-codes";
import { formatRouteDecision } from "../../format/route";
import { collect, enumOption, parseOptions, repeatedEnumOption } from "../../options";
import { resolveAgentId } from "../../resolve-id";
import { action } from "../../run-command";
import { AGENT_HINTS } from "./hints";

const RouteOptions = z.object({
  type: enumOption(SESSION_TYPES).optional(),
  capability: repeatedEnumOption(CAPABILITIES).default([]),
  prefer: z.string().trim().min(1, { error: "must not be empty" }).optional(),
});

/** The dry run of routing: what the scheduler would choose for such a session now, and why. Nothing is written. */
async function route(ctx: CliContext, cmd: Command) {
  const o = parseOptions(RouteOptions, cmd.opts());
  const preferredAgentId = o.prefer === undefined ? undefined : await resolveAgentId(ctx.client, o.prefer);
  const decision = await ctx.client.call("routeAgent", {
    body: {
      requiredCapabilities: o.capability,
      ...(o.type ? { type: o.type } : {}),
      ...(preferredAgentId ? { preferredAgentId } : {}),
    },
  });
  if (ctx.json) ctx.emitJson(decision);
  else ctx.out(formatRouteDecision(decision, ctx.colors));
  // "Nobody can take it" is the answer scripts ask this command for, like a broken chain for `checkpoints --verify`.
  return decision.agentId ? ExitCode.OK : ExitCode.SESSION_UNSUCCESSFUL;
}

export function registerAgentsRoute(agents: Command): void {
  agents
    .command("route")
    .description(
      "dry-run routing: the agent a session would get now, the score breakdown, alternatives and exclusions (exit 1 if none)",
    )
    .option("--type <type>", `the session type, one of ${SESSION_TYPES.join(", ")} (default execution)`)
    .option("--capability <capability>", "a capability the session requires (repeat or comma-separate)", collect)
    .option("--prefer <agent>", "a preferred agent (id, id prefix or name): it wins whenever it can take the session")
    .action(action(route, AGENT_HINTS));
}
