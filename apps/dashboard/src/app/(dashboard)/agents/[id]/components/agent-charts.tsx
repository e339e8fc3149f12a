import type { ApiOut } from "@/lib/api-types";
import { cn } from "@/lib/cn";
import { formatCost, formatDuration } from "@/lib/format";
import { toneOf } from "@/lib/status";
import { toneBg } from "@/components/ui/tone";

type Recent = ApiOut<"agentPerformance">["recentSessions"];

/**
 * Stats over time from the agent's recent attempts, oldest left: outcome
 * squares, then duration and cost as bars (square columns, no curves).
 */
export function AgentCharts({ recent }: { recent: Recent }) {
  const series = [...recent].reverse();
  if (!series.length)
    return (
      <p className="text-sm text-muted">No finished attempts yet: charts appear after the agent's first sessions.</p>
    );
  const maxDur = Math.max(1, ...series.map((r) => r.durationSeconds ?? 0));
  const maxCost = Math.max(1e-9, ...series.map((r) => r.costUsd));
  return (
    <div className="flex flex-col gap-5">
      <div>
        <p className="label mb-2 text-subtle">Outcome per attempt</p>
        <div
          className="flex flex-wrap gap-1"
          role="img"
          aria-label={`${series.filter((r) => r.status === "completed").length} of ${series.length} recent attempts completed`}
        >
          {series.map((r) => (
            <span
              key={`${r.sessionId}-${r.attempt}`}
              title={`${r.title}: ${r.status}`}
              className={cn("h-4 w-4", toneBg[toneOf(r.status)])}
            />
          ))}
        </div>
      </div>
      <Bars label="Duration" values={series.map((r) => r.durationSeconds ?? 0)} max={maxDur} fmt={formatDuration} />
      <Bars label="Cost" values={series.map((r) => r.costUsd)} max={maxCost} fmt={formatCost} />
    </div>
  );
}

function Bars({
  label,
  values,
  max,
  fmt,
}: {
  label: string;
  values: number[];
  max: number;
  fmt: (n: number) => string;
}) {
  const last = values[values.length - 1] ?? 0;
  return (
    <div>
      <p className="mb-2 flex justify-between">
        <span className="label text-subtle">{label}</span>
        <span className="num text-xs text-muted">
          latest {fmt(last)} · max {fmt(max)}
        </span>
      </p>
      <div
        className="flex h-16 items-end gap-[2px] border-b-2 border-line"
        role="img"
        aria-label={`${label} of recent attempts, latest ${fmt(last)}`}
      >
        {values.map((v, i) => (
          <span
            key={i}
            className="flex-1 bg-accent"
            style={{ height: `${Math.max(4, (v / max) * 100)}%` }}
            title={fmt(v)}
          />
        ))}
      </div>
    </div>
  );
}
