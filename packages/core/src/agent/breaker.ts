export const BREAKER_STATES = ["closed", "open", "half_open"] as const;
export type BreakerState = (typeof BREAKER_STATES)[number];

/** What one finished attempt says about an agent or a runner. */
export type Verdict = "success" | "failure" | "neutral";

/**
 * A circuit breaker as stored (per agent and per runner). `open` turns into
 * half-open by time alone, so readers use `breakerStateAt`, never `state`.
 */
export interface Breaker {
  state: BreakerState;
  consecutiveFailures: number;
  /** The last outcomes, oldest first, at most `policy.window` (true = success). */
  recent: boolean[];
  openedAt: string | null;
  /** The cooldown of the current (or last) opening; doubles on every reopening. */
  cooldownSeconds: number;
  /** Half-open: the one trial session is running. */
  trialInFlight: boolean;
}

export interface BreakerPolicy {
  failureThreshold: number;
  window: number;
  minSuccessRate: number;
  baseCooldownSeconds: number;
  maxCooldownSeconds: number;
}

export const DEFAULT_BREAKER_POLICY: BreakerPolicy = {
  failureThreshold: 5,
  window: 10,
  minSuccessRate: 0.3,
  baseCooldownSeconds: 60,
  maxCooldownSeconds: 1800,
};

export function closedBreaker(policy: BreakerPolicy = DEFAULT_BREAKER_POLICY): Breaker {
  return {
    state: "closed",
    consecutiveFailures: 0,
    recent: [],
    openedAt: null,
    cooldownSeconds: policy.baseCooldownSeconds,
    trialInFlight: false,
  };
}

/** When an open breaker lets a trial through (null unless open). */
export function breakerReopensAt(b: Breaker): Date | null {
  if (b.state !== "open" || !b.openedAt) return null;
  return new Date(Date.parse(b.openedAt) + b.cooldownSeconds * 1000);
}

/** The state at `now`: an open breaker whose cooldown has passed is half-open. */
export function breakerStateAt(b: Breaker, now: Date): BreakerState {
  const reopens = breakerReopensAt(b);
  if (reopens && now.getTime() >= reopens.getTime()) return "half_open";
  return b.state;
}

/** May work be sent through this breaker now? Half-open lets exactly one trial run. */
export function breakerAdmits(b: Breaker, now: Date): boolean {
  const state = breakerStateAt(b, now);
  return state === "closed" || (state === "half_open" && !b.trialInFlight);
}

/** Work was sent through: a half-open breaker now has its trial in flight. */
export function breakerDispatched(b: Breaker, now: Date): Breaker {
  return breakerStateAt(b, now) === "half_open" ? { ...b, state: "half_open", trialInFlight: true } : b;
}

function open(b: Breaker, now: Date, cooldownSeconds: number): Breaker {
  return { ...b, state: "open", openedAt: now.toISOString(), cooldownSeconds, trialInFlight: false };
}

/**
 * Applies one finished attempt (docs/domain.md, Agents): closed opens
 * after `failureThreshold` consecutive failures or a success rate under
 * `minSuccessRate` over a full window; the half-open trial closes it on
 * success and reopens it, with the cooldown doubled, on failure. Neutral
 * outcomes (the session's own fault, a person's stop) change nothing but free
 * the trial slot.
 */
export function recordBreakerOutcome(
  b: Breaker,
  verdict: Verdict,
  now: Date,
  policy: BreakerPolicy = DEFAULT_BREAKER_POLICY,
): Breaker {
  if (verdict === "neutral") return b.trialInFlight ? { ...b, trialInFlight: false } : b;
  const success = verdict === "success";
  const recent = [...b.recent, success].slice(-policy.window);
  const consecutiveFailures = success ? 0 : b.consecutiveFailures + 1;
  const state = breakerStateAt(b, now);

  if (state === "half_open" && b.trialInFlight) {
    if (success) return closedBreaker(policy);
    return open({ ...b, recent, consecutiveFailures }, now, Math.min(policy.maxCooldownSeconds, b.cooldownSeconds * 2));
  }
  // Sessions that were already running when the breaker opened still report; they do not move it.
  if (state !== "closed") return { ...b, recent, consecutiveFailures };

  const successRate = recent.filter(Boolean).length / recent.length;
  const tripped =
    consecutiveFailures >= policy.failureThreshold ||
    (recent.length >= policy.window && successRate < policy.minSuccessRate);
  const next = { ...b, recent, consecutiveFailures };
  return tripped ? open(next, now, policy.baseCooldownSeconds) : next;
}
