import type { Command } from "commander";
import { registerTasksAdd } from "./add";
import { registerTasksDecompose } from "./decompose";
import { registerTasksExecute } from "./execute";
import { registerTasksLifecycle } from "./lifecycle";
import { registerTasksLs } from "./ls";
import { registerTasksView } from "./view";

/**
 * `orchestrator tasks …`: work breakdowns through the Tasks API. Every
 * subcommand that takes a task accepts its id or an id prefix
 * (resolve-id.ts); 404 and 409 hints point at `tasks ls` / `tasks show`.
 */
export function registerTasks(program: Command): void {
  const tasks = program
    .command("tasks")
    .description("task trees: add, ls, show, tree, graph, decompose, depend, execute, cancel");
  for (const register of [
    registerTasksAdd,
    registerTasksLs,
    registerTasksView,
    registerTasksDecompose,
    registerTasksLifecycle,
    registerTasksExecute,
  ])
    register(tasks);
}
