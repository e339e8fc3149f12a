import { cn } from "@/lib/cn";
import { Chip } from "@/components/ui/chip";
import { Input } from "@/components/ui/input";
import type { LineLevel } from "../../lib/terminal-lines";

export const LEVELS: LineLevel[] = ["debug", "info", "warn", "error"];

const toggle = "label h-8 shrink-0 border-2 px-2 disabled:opacity-40";

export interface TerminalToolbarProps {
  stream: "connecting" | "open" | "closed";
  query: string;
  onQuery: (q: string) => void;
  levels: ReadonlySet<LineLevel>;
  onLevels: (next: Set<LineLevel>) => void;
  /** "N lines", or "shown / N lines" under a search or filter (a browser test reads it). */
  count: string;
  follow: boolean;
  onFollow: () => void;
  wrap: boolean;
  onWrap: () => void;
  problems: number;
  onProblem: (dir: 1 | -1) => void;
  /** The search's matches among the lines held, and which one is shown (1-based; 0 when none is). */
  matches: { total: number; at: number };
  onMatch: (dir: 1 | -1) => void;
  selected: number;
  onCopy: () => void;
  /** What the last copy did, announced politely. */
  copied: string;
}

/**
 * The terminal's controls: search, level filter, wrap or scroll, next/previous error, copy, follow. The session
 * page's `/` and `f` shortcuts find the search field and Follow by their `data-shortcut`.
 */
export function TerminalToolbar(p: TerminalToolbarProps) {
  return (
    <div className="flex flex-wrap items-center gap-2 border-b-2 border-line px-3 py-2">
      <h2 className="label text-muted">Terminal</h2>
      <span
        data-slot="stream"
        data-state={p.stream}
        className={cn("label mr-2 text-[10px]", p.stream === "open" ? "text-st-running" : "text-st-degraded")}
        title={p.stream === "open" ? "Streaming over the WebSocket" : "Polling the event log until the stream is back"}
      >
        {p.stream === "open" ? "● stream" : "○ polling"}
      </span>
      <Input
        aria-label="Search the log"
        placeholder="Search… (/)"
        data-shortcut="search"
        aria-keyshortcuts="/"
        value={p.query}
        onChange={(e) => p.onQuery(e.target.value)}
        onKeyDown={(e) => {
          if (e.key !== "Enter" || !p.query.trim()) return;
          e.preventDefault();
          p.onMatch(e.shiftKey ? -1 : 1);
        }}
        title="Enter: next match, Shift+Enter: previous"
        className="h-8 min-w-0 flex-1 py-1 text-xs sm:w-48 sm:flex-none"
      />
      {p.query.trim() && (
        <div className="flex items-center gap-1" role="group" aria-label="Matches">
          <span data-slot="match-count" className="num text-xs text-muted" aria-live="polite">
            {p.matches.at ? `${p.matches.at} / ` : ""}
            {p.matches.total} {p.matches.total === 1 ? "match" : "matches"}
          </span>
          {([-1, 1] as const).map((dir) => (
            <button
              key={dir}
              type="button"
              disabled={!p.matches.total}
              onClick={() => p.onMatch(dir)}
              title={dir === 1 ? "Next match (Enter)" : "Previous match (Shift+Enter)"}
              className={cn(toggle, "w-8 border-line px-0 text-muted enabled:hover:text-fg")}
            >
              {dir === 1 ? "↓" : "↑"}
              <span className="sr-only">{dir === 1 ? " Next match" : " Previous match"}</span>
            </button>
          ))}
        </div>
      )}
      <div className="flex flex-wrap gap-2" role="group" aria-label="Levels">
        {LEVELS.map((l) => (
          <Chip
            key={l}
            pressed={p.levels.has(l)}
            onClick={() => {
              const next = new Set(p.levels);
              if (next.has(l)) next.delete(l);
              else next.add(l);
              p.onLevels(next);
            }}
          >
            {l}
          </Chip>
        ))}
      </div>
      {/* A box of its own size (contain: strict): the count changes with every batch of streamed lines, and must not lay out the page again. */}
      <span
        className="num ml-auto inline-block h-4 w-[21ch] text-right text-xs text-muted [contain:strict]"
        aria-live="off"
      >
        {p.count}
      </span>
      <div className="flex flex-wrap gap-2">
        <button
          type="button"
          aria-pressed={p.wrap}
          onClick={p.onWrap}
          title="Soft wrap long lines, or keep each on one row and scroll sideways"
          className={cn(toggle, p.wrap ? "border-fg text-fg" : "border-line text-muted hover:text-fg")}
        >
          Wrap
        </button>
        <button
          type="button"
          disabled={!p.problems}
          onClick={() => p.onProblem(-1)}
          className={cn(toggle, "border-line text-muted enabled:hover:text-fg")}
        >
          Prev error
        </button>
        <button
          type="button"
          disabled={!p.problems}
          onClick={() => p.onProblem(1)}
          className={cn(toggle, "border-st-failed text-st-failed disabled:border-line disabled:text-muted")}
        >
          Next error
        </button>
        <span data-slot="problem-count" className="num self-center text-xs text-muted">
          {p.problems} {p.problems === 1 ? "error" : "errors"}
        </span>
        <button
          type="button"
          disabled={!p.selected}
          onClick={p.onCopy}
          title="Select a line by its number (shift-click for a range), then copy"
          className={cn(toggle, "border-line text-muted enabled:hover:text-fg")}
        >
          {p.selected > 1 ? `Copy ${p.selected} lines` : "Copy line"}
        </button>
        <button
          type="button"
          aria-pressed={p.follow}
          onClick={p.onFollow}
          data-shortcut="follow"
          aria-keyshortcuts="f"
          title="Keep the end of the log in view as lines arrive (f)"
          className={cn(
            toggle,
            p.follow ? "border-st-running text-st-running" : "border-line text-muted hover:text-fg",
          )}
        >
          {p.follow ? "● Following" : "Follow"}
        </button>
      </div>
      <span role="status" className="text-xs text-st-running">
        {p.copied}
      </span>
    </div>
  );
}
