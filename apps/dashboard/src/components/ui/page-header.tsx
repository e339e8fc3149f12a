import type { ReactNode } from "react";

/** The page's title bar: an upper-case heading, a one-line description, actions on the right. */
export function PageHeader({
  title,
  description,
  actions,
  eyebrow,
}: {
  title: ReactNode;
  description?: ReactNode;
  actions?: ReactNode;
  eyebrow?: ReactNode;
}) {
  return (
    <header className="flex flex-wrap items-end justify-between gap-4 border-b-2 border-line pb-4">
      <div className="min-w-0">
        {eyebrow ? <div className="label mb-1 text-subtle">{eyebrow}</div> : null}
        <h1 className="truncate text-xl font-bold tracking-wide text-fg uppercase">{title}</h1>
        {description ? <p className="mt-1 text-sm text-muted">{description}</p> : null}
      </div>
      {actions ? <div className="flex flex-wrap items-center gap-3">{actions}</div> : null}
    </header>
  );
}
