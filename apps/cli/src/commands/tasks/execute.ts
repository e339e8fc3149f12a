import type { TaskView } from "@industrial/contracts";
import type { Command } from "commander";
import { z } from "zod";
import type { CliContext } from "../../context";
import { ExitCode } from "../../exit-codes";
import { formatTaskStatus } from "../../format/task";
import { formatTaskTree } from "../../format/task-tree";
import { shortId } from "../../format/text";
import { parseOptions } from "../../options";
import { repositoryArg } from "../../repository-arg";
import { resolveTaskId } from "../../resolve-id";
import { action, argument } from "../../run-command";
import { waitForTree } from "../../wait-for-tree";
import { TASK_HINTS } from "./hints";
import { stdoutWidth } from "./terminal";

const nonEmpty = z.string().trim().min(1, { error: "must not be empty" });
const ExecuteOptions = z.object({
  repository: nonEmpty.optional(),
  baseRef: nonEmpty.max(256).optional(),
  wait: z.boolean().default(false),
});

function describeExecution(t: TaskView): string {
  const x = t.execution;
  return x
    ? `integration branch ${x.branch} of ${x.repository} (from ${x.baseRef}, ${x.baseCommit.slice(0, 8)})`
    : "no execution recorded";
}

async function execute(ctx: CliContext, cmd: Command) {
  const o = parseOptions(ExecuteOptions, cmd.opts());
  const id = await resolveTaskId(ctx.client, argument(cmd));
  // The server may run elsewhere in general: a relative path means "from where I am", so send it absolute (a URL as written).
  const body = {
    ...(o.repository ? { repository: repositoryArg(o.repository) } : {}),
    ...(o.baseRef ? { baseRef: o.baseRef } : {}),
  };
  const started = await ctx.client.call("executeTask", { params: { id }, body });
  const c = ctx.colors;
  if (!o.wait) {
    if (ctx.json) return ctx.emitJson(started);
    ctx.out(`executing ${c.bold(shortId(started.id))} ${started.title}: ${describeExecution(started)}`);
    ctx.out(c.dim(`watch it with: orchestrator tasks tree ${shortId(started.id)}`));
    return;
  }
  ctx.note(`executing ${shortId(started.id)} ${started.title}: ${describeExecution(started)}`);
  const final = await waitForTree(ctx, id);
  const root = final.root;
  if (ctx.json) ctx.emitJson(final);
  else {
    ctx.out(formatTaskTree(final, c, stdoutWidth()));
    const ok = root.status === "completed";
    ctx.out(
      `${ok ? c.green("✓") : c.red("✗")} execution ${root.execution?.state ?? "ended"}: ${formatTaskStatus(root.status, c)}, ${root.progress.percent}% (${root.progress.done}/${root.progress.total} leaves)`,
    );
  }
  return root.status === "completed" ? ExitCode.OK : ExitCode.SESSION_UNSUCCESSFUL;
}

export function registerTasksExecute(tasks: Command): void {
  tasks
    .command("execute")
    .description("run a root's tree: ready leaves become sessions, finished ones merge into an integration branch")
    .argument("<task>", "the root task: id or id prefix")
    .option(
      "--repository <path-or-url>",
      "a git repository to work on, a path or a git URL (default: a fresh repository for the tree on the server)",
    )
    .option("--base-ref <ref>", "where the integration branch starts (default HEAD)")
    .option("--wait", "show the progress until the execution ends; exit 0 if the root completed, 1 if not")
    .action(action(execute, TASK_HINTS));
}
