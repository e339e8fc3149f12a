/**
 * Puts seq-numbered items back in order from any number of sources (a log
 * replay, a live socket, a poll): each seq is emitted once, in order, with no
 * gap. Items past a gap wait until the gap is filled; `push` says "gap" so the
 * caller can fetch the missing ones.
 */
export function createSeqAssembler<T extends { seq: number }>(emit: (items: T[]) => void, startAfter = 0) {
  let last = startAfter;
  const waiting = new Map<number, T>();
  return {
    lastSeq: () => last,
    push(items: readonly T[]): "ok" | "gap" {
      for (const item of items) if (item.seq > last) waiting.set(item.seq, item);
      const ready: T[] = [];
      while (waiting.has(last + 1)) {
        const next = waiting.get(last + 1)!;
        waiting.delete(last + 1);
        ready.push(next);
        last = next.seq;
      }
      if (ready.length) emit(ready);
      return waiting.size > 0 ? "gap" : "ok";
    },
  };
}
