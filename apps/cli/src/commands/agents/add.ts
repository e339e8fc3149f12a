import { readFile } from "node:fs/promises";
import { AGENT_TYPES } from "@industrial/core";
import type { Command } from "commander";
import { AddAgentOptions, toCreateAgentBody } from "../../agent-options";
import { UsageError } from "../../cli-error";
import type { CliContext } from "../../context";
import { formatAgentDetail } from "../../format/agent";
import { collect, parseOptions } from "../../options";
import { action, argument } from "../../run-command";
import { sandboxFlags } from "../../sandbox-options";
import { AGENT_HINTS } from "./hints";

const MAX_PROMPT = 20_000;

/** `--system-prompt-file`: read here, at the edge, so a missing or empty file names the flag (not `body.systemPrompt`). */
export async function readPromptFile(path: string): Promise<string> {
  const fail = (reason: string) =>
    new UsageError(`invalid --system-prompt-file: ${reason}`, {
      details: [{ path: "--system-prompt-file", reason }],
      suggestion: "give a readable text file, or the text itself with --system-prompt",
    });
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (e) {
    throw fail(`cannot read ${path} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  if (!text.trim()) throw fail(`${path} is empty`);
  if (text.length > MAX_PROMPT) throw fail(`${path} has ${text.length} characters; at most ${MAX_PROMPT}`);
  return text;
}

async function addAgent(ctx: CliContext, cmd: Command) {
  const o = parseOptions(AddAgentOptions, { ...cmd.opts(), name: argument(cmd) }, { name: "<name>" });
  const systemPrompt = o.systemPromptFile !== undefined ? await readPromptFile(o.systemPromptFile) : o.systemPrompt;
  const agent = await ctx.client.call("createAgent", { body: toCreateAgentBody(o, systemPrompt) });
  if (ctx.json) return ctx.emitJson(agent);
  ctx.out(`added agent ${ctx.colors.bold(agent.name)} (${agent.id})\n`);
  ctx.out(formatAgentDetail(agent, ctx.colors, ctx.now()));
}

export function registerAgentsAdd(agents: Command): void {
  const add = agents
    .command("add")
    .description("register an agent; its capabilities are its type's defaults plus --capability")
    .argument("<name>", "a unique name: 3–64 letters, digits, - or _")
    .requiredOption("--type <type>", `one of ${AGENT_TYPES.join(", ")}`)
    .option("--capability <capability>", "a capability beyond the type's defaults (repeat or comma-separate)", collect)
    .option("--model <provider/model>", "the model its sessions use (default: the server's)")
    .option("--opencode-agent <name>", "the OpenCode agent to run as (default build)")
    .option("--system-prompt <text>", "instructions added to every session it runs")
    .option("--system-prompt-file <path>", "the same, read from a file")
    .option("--temperature <n>", "sampling temperature, 0–2 (default: the model's)")
    .option("--max-concurrent <n>", "sessions it runs at once, 1–50 (default 2)")
    .option("--runner <runnerId>", "a registered remote runner (default: the managed runners)")
    .option(
      "--permission <rule>",
      "an OpenCode permission rule, permission=action or permission:pattern=action (action: allow, ask, deny); repeat for several, the last match wins",
      collect,
    )
    .option(
      "--fallback-model <provider/model>",
      "a model to switch to when the current one keeps failing (provider outage, quota, auth); repeat for several, tried in order, at most 5",
      collect,
    )
    .option("--allow-questions", "let the agent ask a person questions (OpenCode's question tool); default: denied")
    .option("--no-allow-questions", "deny OpenCode's question tool (the default)")
    .option(
      "--input-timeout <seconds>",
      "how long a permission ask or question waits for an answer, 0 = forever (default 900)",
    );
  sandboxFlags(add, true).action(
    action(addAgent, {
      ...AGENT_HINTS,
      conflict: "that name is taken: choose another (`orchestrator agents ls` lists them)",
    }),
  );
}
