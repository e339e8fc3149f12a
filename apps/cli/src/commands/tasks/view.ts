import type { Command } from "commander";
import type { CliContext } from "../../context";
import { formatTaskDetail } from "../../format/task";
import { formatTaskGraph } from "../../format/task-graph";
import { formatTaskTree } from "../../format/task-tree";
import { resolveTaskId } from "../../resolve-id";
import { action, argument } from "../../run-command";
import { TASK_HINTS } from "./hints";
import { stdoutWidth } from "./terminal";

async function show(ctx: CliContext, cmd: Command) {
  const task = await ctx.client.call("getTask", { params: { id: await resolveTaskId(ctx.client, argument(cmd)) } });
  if (ctx.json) return ctx.emitJson(task);
  ctx.out(formatTaskDetail(task, ctx.colors, ctx.now()));
}

async function tree(ctx: CliContext, cmd: Command) {
  const res = await ctx.client.call("taskTree", { params: { id: await resolveTaskId(ctx.client, argument(cmd)) } });
  if (ctx.json) return ctx.emitJson(res);
  ctx.out(formatTaskTree(res, ctx.colors, stdoutWidth()));
}

async function graph(ctx: CliContext, cmd: Command) {
  const res = await ctx.client.call("taskGraph", { params: { id: await resolveTaskId(ctx.client, argument(cmd)) } });
  if (ctx.json) return ctx.emitJson(res);
  ctx.out(formatTaskGraph(res, ctx.colors, stdoutWidth()));
}

export function registerTasksView(tasks: Command): void {
  tasks
    .command("show")
    .description("a task's fields: status, estimate, complexity, progress, session, execution, result or error")
    .argument("<task>", "task id or id prefix")
    .action(action(show, TASK_HINTS));
  tasks
    .command("tree")
    .description("the task and its subtasks as a tree: status, progress of parents, expected hours, dependencies")
    .argument("<task>", "task id or id prefix")
    .action(action(tree, TASK_HINTS));
  tasks
    .command("graph")
    .description(
      "the dependency DAG of the task's leaves in columns by earliest start, with expected hours, slack and the critical path",
    )
    .argument("<task>", "task id or id prefix")
    .action(action(graph, TASK_HINTS));
}
