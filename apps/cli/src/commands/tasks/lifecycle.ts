import { DEPENDENCY_TYPES } from "@industrial/core";
import type { Command } from "commander";
import { z } from "zod";
import type { CliContext } from "../../context";
import { formatTaskStatus } from "../../format/task";
import { shortId } from "../../format/text";
import { parseOptions } from "../../options";
import { resolveTaskId } from "../../resolve-id";
import { action, argument } from "../../run-command";
import { DependsOnOption } from "../../task-options";
import { TASK_HINTS } from "./hints";

async function cancel(ctx: CliContext, cmd: Command) {
  const res = await ctx.client.call("cancelTask", { params: { id: await resolveTaskId(ctx.client, argument(cmd)) } });
  if (ctx.json) return ctx.emitJson(res);
  const c = ctx.colors;
  ctx.out(`cancel: ${c.bold(shortId(res.task.id))} ${res.task.title} is ${formatTaskStatus(res.task.status, c)}`);
  const n = res.stoppedSessions.length;
  if (n) ctx.out(`stopped ${n} session${n === 1 ? "" : "s"}: ${res.stoppedSessions.map(shortId).join(", ")}`);
}

const DependOptions = z.object({ prerequisite: DependsOnOption });

async function depend(ctx: CliContext, cmd: Command) {
  const o = parseOptions(DependOptions, { prerequisite: argument(cmd, 1) }, { prerequisite: "<prerequisite>" });
  const id = await resolveTaskId(ctx.client, argument(cmd));
  const dependsOnTaskId = await resolveTaskId(ctx.client, o.prerequisite.task, "<prerequisite>");
  const dep = await ctx.client.call("addDependency", {
    params: { id },
    body: { dependsOnTaskId, type: o.prerequisite.type },
  });
  if (ctx.json) return ctx.emitJson(dep);
  ctx.out(
    `${ctx.colors.bold(shortId(dep.taskId))} now waits for ${ctx.colors.bold(shortId(dep.dependsOnTaskId))} (${dep.type})`,
  );
}

export function registerTasksLifecycle(tasks: Command): void {
  tasks
    .command("cancel")
    .description("stop a task's tree: its running sessions stop, what has not started is cancelled")
    .argument("<task>", "task id or id prefix")
    .action(action(cancel, TASK_HINTS));
  tasks
    .command("depend")
    .description("make a task wait for another; one that would close a cycle is refused (exit 4) with the cycle named")
    .argument("<task>", "the task that waits: id or id prefix")
    .argument(
      "<prerequisite[:type]>",
      `what it waits for; type ${DEPENDENCY_TYPES.join(", ")} (default finish_to_start)`,
    )
    .action(
      action(depend, {
        ...TASK_HINTS,
        conflict: "drop one of the dependencies in the cycle (`orchestrator tasks tree <root>` shows them)",
      }),
    );
}
