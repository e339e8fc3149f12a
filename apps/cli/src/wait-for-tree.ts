import type { TaskTreeNode, TaskTreeResponse } from "@industrial/contracts";
import type { z } from "zod";
import type { CliContext } from "./context";
import { isTransient } from "./follow";
import { visibleLength } from "./format/colors";
import { describeTreeChanges, formatExecutionProgress } from "./format/task-progress";

type TreeResponse = z.output<typeof TaskTreeResponse>;

/** How often the tree is read while it executes: sessions take seconds at least, so once a second is live enough. */
export const TREE_POLL_MS = 1000;
/** Consecutive failed polls tolerated (a server restart); then the error is the command's. */
const MAX_TRANSIENT_FAILURES = 10;

export interface WaitForTreeOptions {
  intervalMs?: number;
  sleep?(ms: number): Promise<void>;
}

const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * A block of lines on stderr that is redrawn in place (a terminal only):
 * the cursor goes back over the rows the last block took, wrapped lines
 * included, and everything below is cleared.
 */
function createLiveBlock(stream: NodeJS.WriteStream) {
  let rows = 0;
  let last = "";
  const clear = () => {
    if (rows) stream.write(`\x1b[${rows}F\x1b[J`);
    rows = 0;
    last = "";
  };
  return {
    draw(lines: string[]) {
      const columns = stream.columns || 80;
      // The same block again would only flicker.
      if (lines.join("\n") === last) return;
      clear();
      last = lines.join("\n");
      stream.write(lines.map((l) => `${l}\n`).join(""));
      rows = lines.reduce((n, l) => n + Math.max(1, Math.ceil(visibleLength(l) / columns)), 0);
    },
    clear,
  };
}

/**
 * Follows a tree's execution until its root's `execution.state` is
 * `finished` or `cancelled`, reading `GET /tasks/{id}/tree` every second.
 * On a terminal the root's progress and every leaf's status are redrawn in
 * place on stderr; otherwise each change is noted as a plain line there.
 * Resolves with the last tree read (the block is cleared: the caller prints
 * the outcome).
 */
export async function waitForTree(ctx: CliContext, id: string, opts: WaitForTreeOptions = {}): Promise<TreeResponse> {
  const sleep = opts.sleep ?? defaultSleep;
  const interval = opts.intervalMs ?? TREE_POLL_MS;
  const live = ctx.interactive ? createLiveBlock(process.stderr) : null;
  let prev: TaskTreeNode | null = null;
  let failures = 0;
  try {
    for (;;) {
      let res: TreeResponse;
      try {
        res = await ctx.client.call("taskTree", { params: { id } });
        failures = 0;
      } catch (e) {
        if (!isTransient(e) || ++failures > MAX_TRANSIENT_FAILURES) throw e;
        await sleep(Math.min(5000, interval * 2 ** failures));
        continue;
      }
      const root = res.root;
      if (live) live.draw(formatExecutionProgress(root, ctx.errColors, Math.max(3, (process.stderr.rows || 24) - 1)));
      else for (const line of describeTreeChanges(prev, root)) ctx.note(line);
      prev = root;
      // No execution at all would never end: nothing to wait for.
      if (!root.execution || root.execution.state !== "running") return res;
      await sleep(interval);
    }
  } finally {
    live?.clear();
  }
}
