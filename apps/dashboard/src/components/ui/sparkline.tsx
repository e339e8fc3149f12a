import { cn } from "@/lib/cn";

/** Bars, not curves: one square column per bucket. */
export function Sparkline({ values, label, className }: { values: number[]; label: string; className?: string }) {
  const max = Math.max(1, ...values);
  return (
    <div role="img" aria-label={label} className={cn("flex h-12 items-end gap-[2px]", className)}>
      {values.map((v, i) => (
        <span key={i} className={cn("flex-1", v > 0 ? "bg-accent" : "bg-raised")} style={{ height: `${Math.max(8, (v / max) * 100)}%` }} title={String(v)} />
      ))}
    </div>
  );
}
