"use client";

import { useVirtualizer } from "@tanstack/react-virtual";
import { useEffect, useMemo, useRef, useState } from "react";
import { cn } from "@/lib/cn";
import { formatClock } from "@/lib/format";
import { Chip } from "@/components/ui/chip";
import { Input } from "@/components/ui/input";
import { filterLines, type LineLevel, type TermLine } from "../../lib/terminal-lines";

const ROW = 20;
const LEVELS: LineLevel[] = ["debug", "info", "warn", "error"];
const LEVEL_CLASS: Record<LineLevel, string> = { debug: "text-subtle", info: "text-fg", warn: "text-st-degraded", error: "text-st-failed" };
const KIND_CLASS: Record<string, string> = {
  tool: "text-accent-strong",
  edit: "text-st-running",
  status: "text-st-queued",
  checkpoint: "text-st-completed",
  attempt: "text-st-queued",
};

/**
 * The live terminal: a virtual list of fixed-height rows (smooth at 100 000
 * lines), level colours, follow mode (on while scrolled to the bottom),
 * search and level filters.
 */
export function Terminal({ lines, version, loading, stream }: { lines: TermLine[]; version: number; loading: boolean; stream: "connecting" | "open" | "closed" }) {
  const [query, setQuery] = useState("");
  const [levels, setLevels] = useState<Set<LineLevel>>(new Set(LEVELS));
  const [follow, setFollow] = useState(true);
  const scroller = useRef<HTMLDivElement>(null);
  // `lines` is append-only: `version` says when it grew.
  const shown = useMemo(() => filterLines(lines, query, levels), [lines, version, query, levels]);
  const virtual = useVirtualizer({ count: shown.length, getScrollElement: () => scroller.current, estimateSize: () => ROW, overscan: 30 });

  useEffect(() => {
    if (follow && shown.length) virtual.scrollToIndex(shown.length - 1, { align: "end" });
  }, [follow, shown.length, virtual]);

  const onScroll = () => {
    const el = scroller.current;
    if (!el) return;
    const atBottom = el.scrollHeight - el.scrollTop - el.clientHeight < ROW * 2;
    if (atBottom !== follow) setFollow(atBottom);
  };

  return (
    <div data-slot="terminal" className="flex flex-col border-2 border-line bg-bg shadow-hard">
      <div className="flex flex-wrap items-center gap-2 border-b-2 border-line px-3 py-2">
        <h2 className="label text-muted">Terminal</h2>
        <span data-slot="stream" data-state={stream} className={cn("label mr-2 text-[10px]", stream === "open" ? "text-st-running" : "text-st-degraded")} title={stream === "open" ? "Streaming over the WebSocket" : "Polling the event log until the stream is back"}>
          {stream === "open" ? "● stream" : "○ polling"}
        </span>
        <Input aria-label="Search the log" placeholder="Search…" value={query} onChange={(e) => setQuery(e.target.value)} className="h-8 w-48 py-1 text-xs" />
        {LEVELS.map((l) => (
          <Chip
            key={l}
            pressed={levels.has(l)}
            onClick={() => {
              const next = new Set(levels);
              if (next.has(l)) next.delete(l);
              else next.add(l);
              setLevels(next);
            }}
          >
            {l}
          </Chip>
        ))}
        <span className="num ml-auto text-xs text-muted" aria-live="off">
          {query || levels.size < 4 ? `${shown.length} / ${lines.length}` : lines.length} lines
        </span>
        <button
          type="button"
          aria-pressed={follow}
          onClick={() => setFollow((f) => !f)}
          className={cn("label h-8 border-2 px-2", follow ? "border-st-running text-st-running" : "border-line text-muted hover:text-fg")}
        >
          {follow ? "● Following" : "Follow"}
        </button>
      </div>
      <div ref={scroller} onScroll={onScroll} tabIndex={0} role="log" aria-label="Session log" className="h-[28rem] overflow-auto text-[12px] leading-5">
        {loading && !lines.length ? (
          <p className="p-3 text-muted">Replaying the event log…</p>
        ) : !shown.length ? (
          <p className="p-3 text-muted">{lines.length ? "No line matches the search." : "No events yet. Lines appear here as the session works."}</p>
        ) : (
          <div style={{ height: virtual.getTotalSize(), position: "relative" }}>
            {virtual.getVirtualItems().map((v) => {
              const l = shown[v.index]!;
              return (
                <div
                  key={l.key}
                  data-slot="term-line"
                  data-level={l.level}
                  className="absolute left-0 flex w-full gap-3 px-3 whitespace-pre hover:bg-panel"
                  style={{ top: 0, height: ROW, transform: `translateY(${v.start}px)` }}
                >
                  <span className="w-24 shrink-0 text-subtle">{l.tag ? formatClock(l.ts) : ""}</span>
                  <span className={cn("w-24 shrink-0 truncate", KIND_CLASS[l.kind] ?? "text-muted")}>{l.tag}</span>
                  <span className={cn("min-w-0 flex-1 truncate", LEVEL_CLASS[l.level])}>{l.text}</span>
                </div>
              );
            })}
          </div>
        )}
      </div>
    </div>
  );
}
