import type { SessionEvent } from "@industrial/core";
import { toTermLines } from "./terminal-lines";

/** Tests' terminal lines: log events `from..to`, one line each (`line <seq>`). */
export const logLines = (from: number, to: number) =>
  toTermLines(
    Array.from({ length: to - from + 1 }, (_, i) => ({
      sessionId: "s",
      seq: from + i,
      attempt: null,
      ts: "2026-01-01T00:00:00.000Z",
      type: "session.log",
      payload: { level: "info", source: "assistant", text: `line ${from + i}` },
    })) as SessionEvent[],
  );
