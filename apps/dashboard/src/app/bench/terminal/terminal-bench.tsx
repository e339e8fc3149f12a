"use client";

import type { SessionEvent } from "@industrial/core";
import { useSearchParams } from "next/navigation";
import { useEffect, useMemo } from "react";
import { PageHeader } from "@/components/ui/page-header";
import { Terminal } from "../../(dashboard)/sessions/[id]/components/terminal";
import { toTermLines } from "../../(dashboard)/sessions/lib/terminal-lines";

const LEVELS = ["info", "info", "info", "warn", "debug", "error"] as const;

function syntheticEvents(n: number): SessionEvent[] {
  const t0 = Date.parse("2025-01-01T00:00:00Z");
  return Array.from({ length: n }, (_, i) => {
    const seq = i + 1;
    const ts = new Date(t0 + i * 7).toISOString();
    const base = { sessionId: "bench", seq, attempt: 1, ts };
    return (i % 5 === 4
      ? {
          ...base,
          type: "session.tool",
          payload: {
            callId: `c${i}`,
            tool: "bash",
            status: "completed",
            title: `npm test (${i})`,
            input: "npm test",
            output: `ok ${i}`,
          },
        }
      : {
          ...base,
          type: "session.log",
          payload: {
            level: LEVELS[i % LEVELS.length],
            source: "assistant",
            text: `line ${seq}: the agent reports progress on step ${Math.floor(i / 10)}`,
          },
        }) as unknown as SessionEvent;
  });
}

/** The terminal with `?lines=N` synthetic events, marking `terminal-ready` once rows are painted. */
export function TerminalBench() {
  const n = Math.min(1_000_000, Math.max(0, Number(useSearchParams().get("lines") ?? 0) || 0));
  const lines = useMemo(() => toTermLines(syntheticEvents(n)), [n]);
  useEffect(() => {
    requestAnimationFrame(() => requestAnimationFrame(() => performance.mark("terminal-ready")));
  }, [lines]);
  return (
    <div className="flex flex-col gap-5">
      <PageHeader title="Terminal benchmark" description={`${n} synthetic events, ${lines.length} rows`} />
      <Terminal lines={lines} version={lines.length} loading={false} stream="open" />
    </div>
  );
}
