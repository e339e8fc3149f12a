/** An abort signal that fires once a call has had its time, and the means to call it off when it answered. */
export interface Deadline {
  readonly signal: AbortSignal;
  /** The call answered (and its body was read): the deadline is called off. */
  clear(): void;
}

/**
 * A signal aborted with a `TimeoutError` after `ms`, held by its own timer
 * until `clear()`, which a caller can also listen to. `AbortSignal.timeout`
 * holds its signal only weakly, and a fetch of a `Request` built from another
 * (what the OpenCode SDK does) follows the original signal through a weak
 * link that a garbage collection breaks: the call then never aborts (the full
 * test suite caught a 200 ms timeout hanging for 120 s). Callers that cannot
 * pass the signal to fetch directly race the call against it. The timer does
 * not keep the process alive.
 */
export function startDeadline(ms: number): Deadline {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new DOMException(`no answer within ${ms} ms`, "TimeoutError")), ms);
  timer.unref?.();
  return { signal: controller.signal, clear: () => clearTimeout(timer) };
}

/**
 * `work` (handed the deadline's signal), or `onTimeout(reason)` once `ms`
 * passed without its answer — whether or not `work` heeds the signal (a
 * fetch through a copied Request may not, above). The deadline is cleared
 * either way.
 */
export async function raceDeadline<T>(
  ms: number,
  work: (signal: AbortSignal) => Promise<T>,
  onTimeout: (reason: unknown) => T,
): Promise<T> {
  const deadline = startDeadline(ms);
  const timedOut = new Promise<T>((resolve) =>
    deadline.signal.addEventListener("abort", () => resolve(onTimeout(deadline.signal.reason)), { once: true }),
  );
  return Promise.race([work(deadline.signal), timedOut]).finally(() => deadline.clear());
}
