import type { Command } from "commander";
import { registerSessionAction } from "./session-action";

export function registerPause(program: Command): void {
  registerSessionAction(
    program,
    "pause",
    "pauseSession",
    "pause a running session: abort the current turn, keep the worktree (resume continues it)",
  );
}
