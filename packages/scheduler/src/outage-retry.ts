import { classifyOutage, coerceError, computeOutageRetryDelayMs } from "@industrial/core";
import type { Logger } from "./logger";

export interface OutageRetryOptions {
  /** What is being written, for the log ("session write"). */
  what: string;
  log: Logger;
  random: () => number;
  /** Checked after each failure: true ends the retries (the lease is gone, the attempt is detaching) and the last error is thrown. */
  giveUp: () => boolean;
  sleep?: (ms: number) => Promise<void>;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Runs `run` until it succeeds while its failures are outages (the database
 * restarting, a cut connection), at core's outage pace — so a write waits
 * the outage out and lands about a second after the database is back instead
 * of failing the attempt. Any other error, or `giveUp()`, ends it with that
 * error. `run` must be safe to repeat: a transaction that failed rolled back.
 */
export async function retryThroughOutage<T>(run: () => Promise<T>, options: OutageRetryOptions): Promise<T> {
  const started = Date.now();
  for (let failures = 0; ;) {
    try {
      const result = await run();
      if (failures > 0)
        options.log.info(
          { what: options.what, tries: failures + 1, waitedMs: Date.now() - started },
          "the database answers again; write resumed",
        );
      return result;
    } catch (e) {
      const outage = classifyOutage(e);
      if (!outage || options.giveUp()) throw e;
      failures++;
      // Once when it starts, then every 30 tries (about every 30 s at the outage pace): an outage must not flood the log.
      if (failures % 30 === 1)
        options.log.warn(
          { what: options.what, outage, err: coerceError(e).message, failures },
          "database unavailable; holding the write and retrying",
        );
      await (options.sleep ?? sleep)(computeOutageRetryDelayMs(failures, options.random()));
    }
  }
}
