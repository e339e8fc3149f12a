import type { Command } from "commander";
import { registerSessionAction } from "./session-action";

export function registerStop(program: Command): void {
  registerSessionAction(
    program,
    "stop",
    "stopSession",
    "stop a session: abort its turn; nothing retries it automatically (retry can)",
  );
}
