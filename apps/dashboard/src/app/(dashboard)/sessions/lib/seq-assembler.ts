/**
 * Puts seq-numbered items back in order from any number of sources (a log
 * replay, a live socket, a poll): each seq is emitted once, in order, with no
 * gap. Items past a gap wait until the gap is filled; `push` says "gap" so the
 * caller can fetch the missing ones.
 */
export function createSeqAssembler<T extends { seq: number }>(emit: (items: T[]) => void, startAfter = 0) {
  let last = startAfter;
  const waiting = new Map<number, T>();
  const flush = (): "ok" | "gap" => {
    const ready: T[] = [];
    while (waiting.has(last + 1)) {
      const next = waiting.get(last + 1)!;
      waiting.delete(last + 1);
      ready.push(next);
      last = next.seq;
    }
    if (ready.length) emit(ready);
    return waiting.size > 0 ? "gap" : "ok";
  };
  return {
    lastSeq: () => last,
    push(items: readonly T[]): "ok" | "gap" {
      for (const item of items) if (item.seq > last) waiting.set(item.seq, item);
      return flush();
    },
    /**
     * Seqs before `firstSeq` will never come (the tenant's retention removed
     * them from the log): go on from there instead of waiting for them.
     */
    startAt(firstSeq: number): "ok" | "gap" {
      if (firstSeq - 1 > last) {
        last = firstSeq - 1;
        for (const seq of waiting.keys()) if (seq <= last) waiting.delete(seq);
      }
      return flush();
    },
  };
}
