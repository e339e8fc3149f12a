"use client";

import { useState } from "react";
import { Button } from "./button";

/**
 * The cursors of the pages before this one, for a list paged by the API's
 * `nextCursor`: `forward` from the current cursor, `back` to the one before
 * (null: the first page), `reset` when the filters change.
 */
export function useCursorPages() {
  const [stack, setStack] = useState<string[]>([]);
  return {
    page: stack.length + 1,
    reset: () => setStack([]),
    forward: (current: string | null) => setStack([...stack, current ?? ""]),
    back: (): string | null => {
      const to = stack.at(-1) ?? "";
      setStack(stack.slice(0, -1));
      return to || null;
    },
  };
}

/** A list's page row: where we are, and the buttons to the page before and after (off at either end). */
export function Pager({
  page,
  shown,
  total,
  onPrev,
  onNext,
  prev = "← Prev",
  next = "Next →",
}: {
  page: number;
  shown: number;
  total: number;
  onPrev: (() => void) | null;
  onNext: (() => void) | null;
  prev?: string;
  next?: string;
}) {
  return (
    <nav aria-label="Pages" className="flex items-center justify-between gap-3">
      <span className="num text-xs text-muted">
        page {page} · {shown} of {total}
      </span>
      <div className="flex gap-3">
        <Button size="sm" disabled={!onPrev} onClick={onPrev ?? undefined}>
          {prev}
        </Button>
        <Button size="sm" disabled={!onNext} onClick={onNext ?? undefined}>
          {next}
        </Button>
      </div>
    </nav>
  );
}
