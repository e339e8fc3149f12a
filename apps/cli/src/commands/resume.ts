import type { Command } from "commander";
import { registerSessionAction } from "./session-action";

export function registerResume(program: Command): void {
  registerSessionAction(program, "resume", "resumeSession", "resume a paused session with a continuation prompt");
}
