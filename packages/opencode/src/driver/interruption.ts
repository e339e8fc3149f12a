import type { InterruptReason } from "@industrial/core";

/** Thrown out of a wait when the attempt is interrupted before OpenCode was prompted. */
export class Interrupted extends Error {}

/**
 * Whether and why the attempt is interrupted (the first reason wins), and
 * the waits that stop at once when it is: an attempt that is paused, stopped
 * or detached while a runner starts or an instance warms up does not wait for them.
 */
export class Interruption {
  reason: InterruptReason | null = null;
  private waits: (() => void)[] = [];

  /** Records the reason and ends the waits under way; false when the attempt was interrupted already. */
  interrupt(reason: InterruptReason): boolean {
    if (this.reason) return false;
    this.reason = reason;
    for (const f of this.waits.splice(0)) f();
    return true;
  }

  /** Waits for `p`, or stops waiting (throws Interrupted) when the attempt is interrupted. */
  unlessInterrupted<T>(p: Promise<T>): Promise<T> {
    if (this.reason) {
      // Nobody waits for `p` now: its failure (a runner stopping under it) must not go unhandled.
      p.catch(() => undefined);
      return Promise.reject(new Interrupted());
    }
    return Promise.race([p, new Promise<never>((_, reject) => this.waits.push(() => reject(new Interrupted())))]);
  }
}
