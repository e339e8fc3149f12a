import { cn } from "@/lib/cn";
import type { Tone } from "@/lib/status";
import { toneBg } from "./tone";

/** A flat progress bar: a 2 px frame and a square fill. */
export function Progress({
  value,
  max = 100,
  tone = "accent",
  label,
  className,
}: {
  value: number;
  max?: number;
  tone?: Tone;
  label: string;
  className?: string;
}) {
  const pct = max > 0 ? Math.max(0, Math.min(100, (value / max) * 100)) : 0;
  return (
    <div
      data-slot="progress"
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={max}
      aria-valuenow={Math.round(value * 100) / 100}
      className={cn("h-3 w-full border-2 border-line bg-bg", className)}
    >
      <div className={cn("h-full", toneBg[tone])} style={{ width: `${pct}%` }} />
    </div>
  );
}
