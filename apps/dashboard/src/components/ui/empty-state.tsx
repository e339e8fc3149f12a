import type { ReactNode } from "react";

/** Nothing here yet: says what it is and what to do next. */
export function EmptyState({ title, hint, action }: { title: string; hint: ReactNode; action?: ReactNode }) {
  return (
    <div
      data-slot="empty-state"
      className="flex flex-col items-start gap-3 border-2 border-dashed border-line px-6 py-10"
    >
      <p className="label text-fg">{title}</p>
      <p className="max-w-prose text-sm text-muted">{hint}</p>
      {action}
    </div>
  );
}
