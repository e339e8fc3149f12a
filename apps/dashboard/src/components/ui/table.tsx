import type { HTMLAttributes, TdHTMLAttributes, ThHTMLAttributes } from "react";
import { cn } from "@/lib/cn";

/**
 * A table in a horizontal scroller. With `scrollLabel` the scroller is a
 * named, focusable region, so a keyboard can scroll a table that has no
 * control of its own to focus (on a phone it is wider than the screen).
 * `relative` keeps absolutely placed children (sr-only labels in a far
 * column) inside the scroller instead of widening the page.
 */
export function Table({
  className,
  scrollLabel,
  ...rest
}: HTMLAttributes<HTMLTableElement> & { scrollLabel?: string }) {
  const region = scrollLabel ? ({ role: "region", "aria-label": scrollLabel, tabIndex: 0 } as const) : {};
  return (
    <div data-slot="table" className="relative w-full overflow-x-auto" {...region}>
      <table className={cn("w-full border-collapse text-left text-[13px]", className)} {...rest} />
    </div>
  );
}

export function Th({ className, ...rest }: ThHTMLAttributes<HTMLTableCellElement>) {
  return (
    <th className={cn("label whitespace-nowrap border-b-2 border-line px-3 py-2 text-muted", className)} {...rest} />
  );
}

export function Td({ className, ...rest }: TdHTMLAttributes<HTMLTableCellElement>) {
  return <td className={cn("border-b border-line px-3 py-2 align-middle", className)} {...rest} />;
}

export function Tr({ className, ...rest }: HTMLAttributes<HTMLTableRowElement>) {
  return <tr className={cn("hover:bg-raised", className)} {...rest} />;
}
