import type { LogWindow } from "./log-window";

/**
 * Which page reads of the log window may run, and which answers still fit
 * (docs/dashboard-terminal.md, Long logs). One read at a time: a page before
 * the window (`earlier`), after it (`later`), or the tail again and what
 * follows it (`end`, Follow). Follow may start while another read runs: it
 * replaces the window, so the other read's answer no longer fits and is
 * dropped. Pure: the hook does the fetching.
 */
export type PageReadKind = "earlier" | "later" | "end";

/** A read as asked: against which window (`epoch`, bumped whenever the window is replaced) and which of its ends. */
export interface PageRead {
  kind: PageReadKind;
  epoch: number;
  firstSeq: number;
  lastSeq: number;
}

/** Whether a read of `kind` may start while `running` runs (null: none): only Follow interrupts, and not itself. */
export function mayStartRead(running: PageReadKind | null, kind: PageReadKind): boolean {
  if (running === null) return true;
  return kind === "end" && running !== "end";
}

/** The read of `kind` asked now against window `w`. */
export function askRead(kind: PageReadKind, epoch: number, w: LogWindow): PageRead {
  return { kind, epoch, firstSeq: w.firstSeq, lastSeq: w.lastSeq };
}

/**
 * Whether an answer to `read` may go into window `w` (still of `epoch`): the
 * end it attaches to has not moved. A page before the window needs the same
 * `firstSeq` (live lines appended meanwhile move only `lastSeq`); a page
 * after it the same `lastSeq` (and `firstSeq`: nothing else read meanwhile).
 * Otherwise it would leave a gap or put lines out of order, and is dropped.
 */
export function readFits(read: PageRead, epoch: number, w: LogWindow): boolean {
  if (read.epoch !== epoch) return false;
  if (read.kind === "earlier") return w.firstSeq === read.firstSeq;
  return w.firstSeq === read.firstSeq && w.lastSeq === read.lastSeq;
}

/** How long to wait before trying the log's first read again after `failures` failures: 1 s, 2 s, 4 s… up to `cap`. */
export function retryDelay(failures: number, base = 1_000, cap = 30_000): number {
  return Math.min(cap, base * 2 ** Math.max(0, Math.min(failures - 1, 30)));
}
