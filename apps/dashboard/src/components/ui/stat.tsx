import type { ReactNode } from "react";
import { cn } from "@/lib/cn";
import type { Tone } from "@/lib/status";
import { toneBg, toneText } from "./tone";

/** A big number with an upper-case label and a tone bar on its left edge. */
export function Stat({
  label,
  value,
  sub,
  tone = "neutral",
  className,
}: {
  label: string;
  value: ReactNode;
  sub?: ReactNode;
  tone?: Tone;
  className?: string;
}) {
  return (
    <div
      data-slot="stat"
      className={cn("relative border-2 border-line bg-panel py-3 pr-4 pl-5 shadow-hard", className)}
    >
      <span aria-hidden className={cn("absolute inset-y-0 left-0 w-1.5", toneBg[tone])} />
      <p className="label text-muted">{label}</p>
      <p className={cn("num mt-1 text-3xl font-bold leading-tight", tone === "neutral" ? "text-fg" : toneText[tone])}>
        {value}
      </p>
      {sub ? <p className="mt-1 text-xs text-muted">{sub}</p> : null}
    </div>
  );
}

/** Label / value pairs in a grid (detail headers). */
export function KeyValues({ items, className }: { items: { label: string; value: ReactNode }[]; className?: string }) {
  return (
    <dl className={cn("grid grid-cols-2 gap-x-6 gap-y-3 sm:grid-cols-3 lg:grid-cols-6", className)}>
      {items.map((i) => (
        <div key={i.label} className="min-w-0">
          <dt className="label text-subtle">{i.label}</dt>
          <dd className="num mt-0.5 truncate text-sm text-fg">{i.value}</dd>
        </div>
      ))}
    </dl>
  );
}
