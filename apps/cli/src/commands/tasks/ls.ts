import type { TaskView } from "@industrial/contracts";
import { COMPLEXITIES, TASK_STATUSES } from "@industrial/core";
import type { Command } from "commander";
import { z } from "zod";
import type { CliContext } from "../../context";
import { formatTaskTable } from "../../format/task";
import { collect, intOption, parseOptions, repeatedEnumOption } from "../../options";
import { resolveTaskId } from "../../resolve-id";
import { action } from "../../run-command";
import { TASK_HINTS } from "./hints";

const LsOptions = z
  .object({
    status: repeatedEnumOption(TASK_STATUSES).optional(),
    complexity: repeatedEnumOption(COMPLEXITIES).optional(),
    root: z.boolean().default(false),
    parent: z.string().trim().min(1, { error: "must not be empty" }).optional(),
    limit: intOption(1, 200).default(50),
    all: z.boolean().default(false),
  })
  .refine((o) => !(o.root && o.parent), {
    path: ["root"],
    error: "--root lists tasks without a parent: give either --root or --parent",
  });

async function ls(ctx: CliContext, cmd: Command) {
  const o = parseOptions(LsOptions, cmd.opts());
  const parentTaskId = o.parent === undefined ? undefined : await resolveTaskId(ctx.client, o.parent, "--parent");
  const filters = {
    ...(o.status?.length ? { status: o.status } : {}),
    ...(o.complexity?.length ? { complexity: o.complexity } : {}),
    ...(o.root ? { root: "true" as const } : {}),
    ...(parentTaskId ? { parentTaskId } : {}),
  };
  const items: TaskView[] = [];
  let cursor: string | undefined;
  let page;
  // --all follows nextCursor; --limit is then the page size of each request.
  do {
    page = await ctx.client.call("listTasks", { query: { limit: o.limit, ...filters, ...(cursor ? { cursor } : {}) } });
    items.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (o.all && cursor);

  const nextCursor = o.all ? null : page.nextCursor;
  if (ctx.json) return ctx.emitJson({ items, nextCursor, total: page.total });
  if (items.length === 0)
    return ctx.out(
      ctx.colors.dim(
        Object.keys(filters).length
          ? "no tasks match these filters"
          : "no tasks yet; create one with `orchestrator tasks add`",
      ),
    );
  ctx.out(formatTaskTable(items, ctx.colors));
  if (nextCursor) ctx.out(ctx.colors.dim(`${items.length} of ${page.total} shown; --all lists every one`));
}

export function registerTasksLs(tasks: Command): void {
  tasks
    .command("ls")
    .description("list tasks, newest first: short id, title, status, complexity, expected hours, progress")
    .option("--status <status>", `only these statuses (repeat or comma-separate: ${TASK_STATUSES.join(", ")})`, collect)
    .option("--complexity <complexity>", `only these complexities (${COMPLEXITIES.join(", ")})`, collect)
    .option("--root", "only roots (tasks without a parent)")
    .option("--parent <task>", "only the subtasks of this task")
    .option("--limit <n>", "tasks per page, 1–200", "50")
    .option("--all", "follow the pages to the end")
    .action(action(ls, TASK_HINTS));
}
