import type { ChildProcess } from "node:child_process";

/**
 * Ends a child started with `detached: true` (the leader of a process group
 * of its own) and everything in its group, and resolves once the child has
 * exited; at once when it already had. Tests stop what they start this way,
 * so no grandchild outlives a failed test.
 */
export async function stopProcessGroup(child: ChildProcess, signal: NodeJS.Signals = "SIGKILL"): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once("exit", r));
  try {
    process.kill(-child.pid!, signal);
  } catch {
    child.kill(signal);
  }
  await exited;
}
