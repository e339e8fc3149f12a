import { coerceError, computeLeaseRenewalDelayMs, leaseMayHaveExpired } from "@industrial/core";
import type { Logger } from "./logger";

export interface LeaseRenewalInput {
  /** One renewal: true renewed, false refused (another holder, or the attempt ended); throws when the database does not answer. */
  renew: () => Promise<boolean>;
  renewMs: number;
  leaseMs: number;
  now: () => number;
  /** When the lease was last known to be taken or renewed (its request's send time; default: now). */
  renewedAt?: number;
  random: () => number;
  log: Logger;
  /** Told each result (metrics, and a refusal is the lease lost). */
  renewed(): void;
  lost(): void;
  failed(): void;
  /** True once nothing is left to renew for (the end is written, the lease is gone). */
  done(): boolean;
}

/**
 * Keeps an attempt's lease renewed. A renewal that fails (the database does
 * not answer) never gives the attempt up: only the database can say the
 * lease went to someone else (a refused renewal, a stale fencing token), and
 * until a whole lease has passed since the last renewal nobody can have taken
 * it. After a failure it retries at the outage pace, so the lease is renewed
 * within about a second of the database coming back.
 */
export function keepLeaseRenewed(input: LeaseRenewalInput): { stop(): void; lastRenewedAt(): number } {
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;
  let failures = 0;
  let lastRenewedAt = input.renewedAt ?? input.now();
  let warnedExpiry = false;

  const schedule = () => {
    if (stopped || input.done()) return;
    timer = setTimeout(
      () => void renewOnce(),
      computeLeaseRenewalDelayMs({ failures, renewMs: input.renewMs, random: input.random() }),
    );
  };

  const renewOnce = async () => {
    // Stamped before the request: the database's expiry is at least a lease after this.
    const sentAt = input.now();
    try {
      const ok = await input.renew();
      if (!ok) return input.lost();
      if (failures > 0)
        input.log.info(
          { failures, sinceLastRenewalMs: sentAt - lastRenewedAt },
          "lease renewed again after the database came back",
        );
      failures = 0;
      warnedExpiry = false;
      lastRenewedAt = sentAt;
      input.renewed();
    } catch (e) {
      failures++;
      input.failed();
      if (failures === 1)
        input.log.warn({ err: coerceError(e).message }, "lease renewal failed; retrying (the attempt goes on)");
      if (
        !warnedExpiry &&
        leaseMayHaveExpired({ lastRenewedAtMs: lastRenewedAt, nowMs: input.now(), leaseMs: input.leaseMs })
      ) {
        warnedExpiry = true;
        input.log.warn(
          { sinceLastRenewalMs: input.now() - lastRenewedAt },
          "lease may have expired while the database was away; another replica may adopt the attempt (this one's writes are fenced)",
        );
      }
    }
    schedule();
  };

  schedule();
  return {
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
    lastRenewedAt: () => lastRenewedAt,
  };
}
