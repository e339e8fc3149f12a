import type { Command } from "commander";
import { toPatchAgentBody, UpdateAgentOptions } from "../../agent-options";
import { UsageError } from "../../cli-error";
import type { CliContext } from "../../context";
import { formatAgentDetail } from "../../format/agent";
import { collect, parseOptions } from "../../options";
import { resolveAgentId } from "../../resolve-id";
import { action, argument } from "../../run-command";
import { sandboxFlags } from "../../sandbox-options";
import { readPromptFile } from "./add";
import { AGENT_HINTS } from "./hints";

/** Changes the settings given and prints the agent as it stands afterwards. */
async function update(ctx: CliContext, cmd: Command) {
  const o = parseOptions(UpdateAgentOptions, cmd.opts());
  const systemPrompt = o.systemPromptFile !== undefined ? await readPromptFile(o.systemPromptFile) : o.systemPrompt;
  const body = toPatchAgentBody(o, systemPrompt);
  // Checked before the agent is looked up: a bare `agents update x` is a usage mistake wherever x is.
  if (!body)
    throw new UsageError("nothing to change: give at least one setting", {
      suggestion: "run `orchestrator agents update --help` to see the settings",
    });
  const id = await resolveAgentId(ctx.client, argument(cmd));
  const agent = await ctx.client.call("patchAgent", { params: { id }, body });
  if (ctx.json) return ctx.emitJson(agent);
  ctx.out(`updated agent ${ctx.colors.bold(agent.name)} (${agent.id})\n`);
  ctx.out(formatAgentDetail(agent, ctx.colors, ctx.now()));
}

export function registerAgentsUpdate(agents: Command): void {
  const cmd = agents
    .command("update")
    .description("change an agent's settings: the ones given change, the others stay")
    .argument("<agent>", "agent id, id prefix or name")
    .option("--model <provider/model>", "the model its sessions use")
    .option("--opencode-agent <name>", "the OpenCode agent to run as")
    .option("--system-prompt <text>", "instructions added to every session it runs")
    .option("--system-prompt-file <path>", "the same, read from a file")
    .option("--temperature <n>", "sampling temperature, 0–2")
    .option("--max-concurrent <n>", "sessions it runs at once, 1–50")
    .option("--runner <runnerId>", "a registered remote runner")
    .option(
      "--fallback-model <provider/model>",
      "a model to switch to when the current one keeps failing; repeat for several, tried in order (replaces the whole list)",
      collect,
    )
    .option("--no-fallback-models", "remove every fallback model")
    .option("--allow-questions", "let the agent ask a person questions (OpenCode's question tool)")
    .option("--no-allow-questions", "deny OpenCode's question tool")
    .option("--input-timeout <seconds>", "how long a permission ask or question waits for an answer, 0 = forever");
  sandboxFlags(cmd, false)
    .option("--no-mounts", "remove every mount (--mount replaces the whole list)")
    .action(action(update, AGENT_HINTS));
}
