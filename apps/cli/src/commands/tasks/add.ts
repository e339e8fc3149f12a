import { readFile } from "node:fs/promises";
import type { CreateTaskBody } from "@industrial/contracts";
import { DEPENDENCY_TYPES, PRIORITIES, SESSION_TYPES } from "@industrial/core";
import type { Command } from "commander";
import { UsageError } from "../../cli-error";
import type { CliContext } from "../../context";
import { formatTaskDetail } from "../../format/task";
import { shortId } from "../../format/text";
import { collect, parseOptions } from "../../options";
import { resolveTaskId } from "../../resolve-id";
import { action, argument } from "../../run-command";
import { AddTaskOptions } from "../../task-options";
import { TASK_HINTS } from "./hints";

const MAX_DESCRIPTION = 100_000;

/** `--description-file`: read here, at the edge, so a missing file names the flag (not `body.description`). */
async function readDescriptionFile(path: string): Promise<string> {
  const fail = (reason: string) =>
    new UsageError(`invalid --description-file: ${reason}`, { details: [{ path: "--description-file", reason }] });
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (e) {
    throw fail(`cannot read ${path} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  if (text.length > MAX_DESCRIPTION) throw fail(`${path} has ${text.length} characters; at most ${MAX_DESCRIPTION}`);
  return text;
}

function toBody(o: AddTaskOptions, description: string | undefined, parentTaskId: string | undefined): CreateTaskBody {
  return {
    title: o.title,
    ...(description !== undefined ? { description } : {}),
    ...(o.type ? { type: o.type } : {}),
    ...(o.priority ? { priority: o.priority } : {}),
    ...(o.capability ? { requiredCapabilities: o.capability } : {}),
    ...(o.estimate ? { estimate: o.estimate } : {}),
    ...(parentTaskId ? { parentTaskId } : {}),
  };
}

async function add(ctx: CliContext, cmd: Command) {
  const o = parseOptions(AddTaskOptions, { ...cmd.opts(), title: argument(cmd) }, { title: "<title>" });
  const description = o.descriptionFile !== undefined ? await readDescriptionFile(o.descriptionFile) : o.description;
  // Every id is resolved before anything is written: a bad --parent or --depends-on creates nothing.
  const parentTaskId = o.parent === undefined ? undefined : await resolveTaskId(ctx.client, o.parent, "--parent");
  const prerequisites = [];
  for (const d of o.dependsOn)
    prerequisites.push({ id: await resolveTaskId(ctx.client, d.task, "--depends-on"), type: d.type });

  const created = await ctx.client.call("createTask", { body: toBody(o, description, parentTaskId) });
  const dependencies = [];
  try {
    for (const p of prerequisites)
      dependencies.push(
        await ctx.client.call("addDependency", {
          params: { id: created.id },
          body: { dependsOnTaskId: p.id, type: p.type },
        }),
      );
  } catch (e) {
    ctx.note(
      `task ${created.id} was created, but adding its dependencies failed (${dependencies.length} of ${prerequisites.length} added):`,
    );
    throw e;
  }
  // A dependency can change nothing about the task itself, so the task as created is the one to show.
  if (ctx.json) return ctx.emitJson({ task: created, dependencies });
  const c = ctx.colors;
  ctx.out(`added task ${c.bold(shortId(created.id))} ${created.title}`);
  ctx.out(formatTaskDetail(created, c, ctx.now()));
  for (const d of dependencies) ctx.out(`${c.dim("waits for".padEnd(12))}  ${shortId(d.dependsOnTaskId)} (${d.type})`);
}

export function registerTasksAdd(tasks: Command): void {
  tasks
    .command("add")
    .description(
      "create a task (a root, or a subtask with --parent); estimate and capabilities are inferred when not given",
    )
    .argument("<title>", "1–200 characters")
    .option("--description <text>", "what to do, in detail")
    .option("--description-file <path>", "the same, read from a file")
    .option("--parent <task>", "make it a subtask of this task (id or id prefix)")
    .option("--type <type>", `the session type its session runs as: ${SESSION_TYPES.join(", ")} (default execution)`)
    .option("--priority <priority>", `one of ${PRIORITIES.join(", ")} (default medium)`)
    .option(
      "--capability <capability>",
      "a capability its agent needs (repeat or comma-separate; default: inferred from the text)",
      collect,
    )
    .option("--estimate <o,l,p>", "PERT hours: optimistic,likely,pessimistic (e.g. 1,2,4)")
    .option(
      "--depends-on <task[:type]>",
      `wait for this task; type ${DEPENDENCY_TYPES.join(", ")} (default finish_to_start); repeat for several`,
      collect,
    )
    .action(action(add, TASK_HINTS));
}
