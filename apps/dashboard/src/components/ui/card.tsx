import type { HTMLAttributes, ReactNode } from "react";
import { cn } from "@/lib/cn";

/** A panel: 2 px border and a hard offset shadow. */
export function Card({ className, ...rest }: HTMLAttributes<HTMLDivElement>) {
  return <div data-slot="card" className={cn("border-2 border-line bg-panel shadow-hard", className)} {...rest} />;
}

export function CardHeader({
  title,
  actions,
  className,
  as: Heading = "h2",
}: {
  title: ReactNode;
  actions?: ReactNode;
  className?: string;
  as?: "h2" | "h3";
}) {
  return (
    <div
      data-slot="card-header"
      className={cn("flex items-center justify-between gap-3 border-b-2 border-line px-4 py-2.5", className)}
    >
      <Heading className="label text-muted">{title}</Heading>
      {actions ? <div className="flex items-center gap-2">{actions}</div> : null}
    </div>
  );
}

export function CardBody({ className, ...rest }: HTMLAttributes<HTMLDivElement>) {
  return <div data-slot="card-body" className={cn("p-4", className)} {...rest} />;
}
