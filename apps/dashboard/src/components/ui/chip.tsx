import type { ReactNode } from "react";
import { cn } from "@/lib/cn";

/** A toggle chip for filters: pressed chips are filled. */
export function Chip({ pressed, onClick, children }: { pressed: boolean; onClick: () => void; children: ReactNode }) {
  return (
    <button
      type="button"
      data-slot="chip"
      aria-pressed={pressed}
      onClick={onClick}
      className={cn(
        "inline-flex h-8 items-center gap-1.5 border-2 px-2.5 text-[11px] font-bold uppercase tracking-[0.12em]",
        pressed ? "border-fg bg-fg text-ink" : "border-line text-muted hover:border-line-strong hover:text-fg",
      )}
    >
      {children}
    </button>
  );
}
