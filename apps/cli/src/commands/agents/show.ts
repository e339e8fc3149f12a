import type { Command } from "commander";
import type { CliContext } from "../../context";
import { formatAgentDetail, formatAgentPerformance } from "../../format/agent";
import { resolveAgentId } from "../../resolve-id";
import { action, argument } from "../../run-command";
import { AGENT_HINTS } from "./hints";

async function show(ctx: CliContext, cmd: Command) {
  const id = await resolveAgentId(ctx.client, argument(cmd));
  const [agent, performance] = await Promise.all([
    ctx.client.call("getAgent", { params: { id } }),
    ctx.client.call("agentPerformance", { params: { id } }),
  ]);
  // Two API documents, kept apart rather than merged: `.agent` is the AgentView, `.performance` the /performance answer.
  if (ctx.json) return ctx.emitJson({ agent, performance });
  ctx.out(formatAgentDetail(agent, ctx.colors, ctx.now()));
  ctx.out("");
  ctx.out(formatAgentPerformance(performance, ctx.colors, ctx.now()));
}

export function registerAgentsShow(agents: Command): void {
  agents
    .command("show")
    .description("an agent's profile, stats, tier and breaker; success per capability, tier history, recent sessions")
    .argument("<agent>", "agent id, id prefix or name")
    .action(action(show, AGENT_HINTS));
}
