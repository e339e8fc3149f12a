/**
 * A session's time limit on this replica that can stand still: time spent
 * waiting for a person's answer is not the session's own (README, Time
 * limit). `pause` keeps what is left; `resume` arms the timer for it again.
 */
export class TimeLimit {
  private timer: NodeJS.Timeout | null = null;
  private leftMs: number;
  private armedAt = 0;
  private done = false;

  constructor(
    limitMs: number,
    private readonly onExpire: () => void,
    private readonly now: () => number,
  ) {
    this.leftMs = limitMs;
    this.resume();
  }

  pause(): void {
    if (!this.timer) return;
    clearTimeout(this.timer);
    this.timer = null;
    this.leftMs = Math.max(0, this.leftMs - (this.now() - this.armedAt));
  }

  resume(): void {
    if (this.timer || this.done) return;
    this.armedAt = this.now();
    this.timer = setTimeout(() => {
      this.done = true;
      this.timer = null;
      this.onExpire();
    }, this.leftMs);
  }

  clear(): void {
    this.done = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
