import type { Command } from "commander";
import { registerSessionAction } from "./session-action";

export function registerCancel(program: Command): void {
  registerSessionAction(program, "cancel", "cancelSession", "withdraw a session that has not run yet, or is paused");
}
