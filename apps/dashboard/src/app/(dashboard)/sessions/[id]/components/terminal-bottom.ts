import type { VirtualItem, Virtualizer } from "@tanstack/react-virtual";
import { useCallback, useLayoutEffect, useRef, type RefObject } from "react";

/**
 * The rows to draw while the terminal follows the end: those that fill the
 * scroller from the bottom, and `overscan` more above them. It is what the
 * virtualizer draws once the pinned bottom's scroll event reaches it (the
 * same rows: that render changes nothing), but in the frame the lines
 * arrive, so new lines are not drawn a frame late below an empty gap, and a
 * batch costs one render and one layout instead of two.
 */
export function bottomItems(v: Virtualizer<HTMLDivElement, Element>, overscan: number): VirtualItem[] {
  const height = v.scrollRect?.height ?? 0;
  const first = height ? v.getVirtualItemForOffset(Math.max(0, v.getTotalSize() - height)) : undefined;
  if (!first) return v.getVirtualItems();
  const m = v.measurementsCache;
  const items: VirtualItem[] = [];
  for (let i = Math.max(0, first.index - overscan); i < m.length; i++) items.push(m[i]!);
  return items;
}

/**
 * A row's height as its ResizeObserver reports it, after the frame's layout.
 * A row just drawn is not read at once (its ref runs in the middle of the
 * commit, and reading its height there forces a layout of its own): it keeps
 * its measured height or its estimate until its observer reports.
 */
export function measureObserved(
  el: Element,
  entry: ResizeObserverEntry | undefined,
  v: Virtualizer<HTMLDivElement, Element>,
): number {
  const box = entry?.borderBoxSize?.[0];
  if (box) return Math.round(box.blockSize);
  const i = v.indexFromElement(el);
  return v.itemSizeCache.get(v.options.getItemKey(i)) ?? v.options.estimateSize(i);
}

/**
 * Following pins the scroller to its bottom whenever the list's height
 * changes (rows arrive, the window drops its top, drawn rows turn out taller
 * than estimated) or the scroller's own does. The pin runs in a
 * ResizeObserver's callback, after the frame's layout, so it reads a layout
 * that is already done: a pin in a layout effect, before it, forced a layout
 * of its own on every batch of lines. One plain scroll, not the
 * virtualizer's scrollToIndex: that one keeps correcting itself for a few
 * frames and would pull a reader who scrolls up at that moment back down.
 * Returns the ref for the list's sized box, and `pin` for the scroller's
 * resize.
 */
export function useBottomPin(scroller: RefObject<HTMLDivElement | null>, follow: boolean) {
  const following = useRef(follow);
  const pin = useCallback(() => {
    const el = scroller.current;
    if (el && following.current) el.scrollTop = el.scrollHeight;
  }, [scroller]);
  // Follow taken again: to the bottom at once.
  useLayoutEffect(() => {
    following.current = follow;
    if (follow) pin();
  }, [follow, pin]);
  const observer = useRef<ResizeObserver | null>(null);
  const sized = useCallback(
    (node: HTMLDivElement | null) => {
      observer.current?.disconnect();
      observer.current = node ? new ResizeObserver(pin) : null;
      observer.current?.observe(node!);
    },
    [pin],
  );
  return { sized, pin };
}
