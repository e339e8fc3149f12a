import { createApiClient, type ApiClient } from "@industrial/contracts";
import { TEMPLATE_NAMES } from "@industrial/core";
import type { Command } from "commander";
import { z } from "zod";
import type { CliContext } from "../../context";
import { formatTaskForest } from "../../format/task-tree";
import { shortId } from "../../format/text";
import { enumOption, intOption, parseOptions } from "../../options";
import { createProgress } from "../../progress";
import { resolveAgentId, resolveTaskId } from "../../resolve-id";
import { action, argument } from "../../run-command";
import { TASK_HINTS } from "./hints";
import { stdoutWidth } from "./terminal";

/**
 * The LLM planner answers once its planning session ended: the server waits
 * up to 10 minutes (+1 to give up), so the CLI waits a little longer than
 * that rather than the client's usual 30 s.
 */
const LLM_TIMEOUT_MS = 12 * 60_000;

const DecomposeOptions = z
  .object({
    template: enumOption(TEMPLATE_NAMES).optional(),
    heuristics: z.boolean().default(false),
    llm: z.boolean().default(false),
    agent: z.string().trim().min(1, { error: "must not be empty" }).optional(),
    maxDepth: intOption(1, 5).optional(),
  })
  .superRefine((o, ctx) => {
    const planners = [
      o.template !== undefined && "--template",
      o.heuristics && "--heuristics",
      o.llm && "--llm",
    ].filter(Boolean);
    if (planners.length > 1)
      ctx.addIssue({
        code: "custom",
        path: [o.llm ? "llm" : "heuristics"],
        message: `give one of --template, --heuristics, --llm (got ${planners.join(" and ")})`,
      });
    if (o.agent !== undefined && !o.llm)
      ctx.addIssue({
        code: "custom",
        path: ["agent"],
        message: "--agent chooses the LLM planner's agent: it goes with --llm",
      });
  });

/** The planning session may take minutes: a spinner with the time so far on a terminal, one note otherwise. */
async function withPlanningProgress<T>(ctx: CliContext, run: () => Promise<T>): Promise<T> {
  const started = Date.now();
  const text = () =>
    `planning with an architect agent (an OpenCode session) · ${Math.floor((Date.now() - started) / 1000)}s`;
  const progress = createProgress(ctx, text());
  if (!ctx.interactive)
    ctx.note("planning with an architect agent (an OpenCode session); this can take a few minutes…");
  const timer = setInterval(() => progress.update(text()), 1000);
  try {
    const result = await run();
    progress.stop({ ok: true, text: `planned in ${Math.round((Date.now() - started) / 1000)}s` });
    return result;
  } catch (e) {
    progress.stop();
    throw e;
  } finally {
    clearInterval(timer);
  }
}

async function decompose(ctx: CliContext, cmd: Command) {
  const o = parseOptions(DecomposeOptions, cmd.opts());
  const id = await resolveTaskId(ctx.client, argument(cmd));
  const agentId = o.agent === undefined ? undefined : await resolveAgentId(ctx.client, o.agent);
  const body = {
    ...(o.template ? { template: o.template } : {}),
    ...(o.heuristics ? { heuristics: true } : {}),
    ...(o.llm ? { planner: "llm" as const } : {}),
    ...(agentId ? { agentId } : {}),
    ...(o.maxDepth !== undefined ? { maxDepth: o.maxDepth } : {}),
  };
  let res;
  if (o.llm) {
    const slow: ApiClient = createApiClient({ baseUrl: ctx.client.baseUrl, timeoutMs: LLM_TIMEOUT_MS });
    res = await withPlanningProgress(ctx, () => slow.call("decomposeTask", { params: { id }, body }));
  } else res = await ctx.client.call("decomposeTask", { params: { id }, body });
  if (ctx.json) return ctx.emitJson(res);
  const c = ctx.colors;
  const how =
    res.planner === "template"
      ? `the ${res.template} template`
      : res.planner === "llm"
        ? `the LLM planner (session ${res.sessionId ? shortId(res.sessionId) : "?"})`
        : "heuristics";
  const subtasks = `${res.tasks.length} subtask${res.tasks.length === 1 ? "" : "s"}`;
  const edges = `${res.dependencies.length} ${res.dependencies.length === 1 ? "dependency" : "dependencies"}`;
  ctx.out(`decomposed ${c.bold(shortId(res.taskId))} with ${how}: ${subtasks}, ${edges}`);
  ctx.out(formatTaskForest(res.taskId, res.tasks, res.dependencies, c, stdoutWidth()));
}

export function registerTasksDecompose(tasks: Command): void {
  tasks
    .command("decompose")
    .description(
      "break a task into subtasks and dependencies: a template, heuristics, or an LLM planner session; prints them as a tree",
    )
    .argument("<task>", "task id or id prefix (a leaf that has not run)")
    .option(
      "--template <name>",
      `a template: ${TEMPLATE_NAMES.join(", ")} (default: the first whose trigger words match, else heuristics)`,
    )
    .option("--heuristics", "split the text into steps, no template")
    .option("--llm", "ask an architect agent through a real OpenCode session (can take minutes)")
    .option(
      "--agent <agent>",
      "the planner agent for --llm (id, id prefix or name; default: routed by task_decomposition)",
    )
    .option(
      "--max-depth <n>",
      "how deep subtasks may be split again until leaves are at most moderate, 1–5 (default 3)",
    )
    .action(action(decompose, TASK_HINTS));
}
