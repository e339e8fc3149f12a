import { cn } from "@/lib/cn";
import type { Tone } from "@/lib/status";
import { toneBg } from "./tone";

/**
 * A segmented gauge: a label, a value against a limit, and 20 square cells.
 * Past 90 % of the limit it turns to the failed tone.
 */
export function Gauge({
  label,
  value,
  max,
  display,
  tone = "accent",
  className,
}: {
  label: string;
  value: number;
  max: number | null;
  display: string;
  tone?: Tone;
  className?: string;
}) {
  const ratio = max && max > 0 ? Math.max(0, Math.min(1, value / max)) : null;
  const cells = 20;
  const lit = ratio === null ? 0 : Math.round(ratio * cells);
  const fill: Tone = ratio !== null && ratio >= 0.9 ? "failed" : tone;
  return (
    <div data-slot="gauge" className={cn("flex flex-col gap-1.5", className)}>
      <div className="flex items-baseline justify-between gap-2">
        <span className="label text-muted">{label}</span>
        <span className="num text-sm text-fg">{display}</span>
      </div>
      <div
        role="meter"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={max ?? 0}
        aria-valuenow={value}
        aria-valuetext={display}
        className="flex h-3 gap-[2px]"
      >
        {Array.from({ length: cells }, (_, i) => (
          <span key={i} className={cn("h-full flex-1", i < lit ? toneBg[fill] : "bg-raised")} />
        ))}
      </div>
    </div>
  );
}
