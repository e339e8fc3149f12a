/**
 * Outages of a dependency (PostgreSQL restarting, a cut network): which
 * errors mean "cannot be reached right now" — worth waiting out instead of
 * failing the work or answering 500 — and how long to wait between tries.
 * node-postgres reports them three ways: a SQLSTATE from the server as it
 * goes down or comes up, a Node socket `code`, or only a message (a
 * connection that ended under it has no code at all).
 */

/** Why an error counts as an outage: what logs and the API say. */
export type OutageReason =
  | "connection refused"
  | "connection lost"
  | "connect timed out"
  | "server shutting down"
  | "server starting up"
  | "too many connections"
  | "host unreachable";

/** SQLSTATEs of a server that is going away or not there yet (class 08, connection exception, is matched as a class). */
const SQLSTATE_REASONS: Readonly<Record<string, OutageReason>> = {
  "57P01": "server shutting down", // admin_shutdown: `pg_ctl restart`, a failover
  "57P02": "server shutting down", // crash_shutdown: another backend crashed
  "57P03": "server starting up", // cannot_connect_now: recovery or start-up
  "53300": "too many connections",
};

/** Socket errors of Node's net and dns modules. */
const SOCKET_REASONS: Readonly<Record<string, OutageReason>> = {
  ECONNREFUSED: "connection refused",
  ECONNRESET: "connection lost",
  ECONNABORTED: "connection lost",
  EPIPE: "connection lost",
  ETIMEDOUT: "connect timed out",
  EHOSTUNREACH: "host unreachable",
  ENETUNREACH: "host unreachable",
  ENOTFOUND: "host unreachable",
  EAI_AGAIN: "host unreachable",
};

/** node-postgres's own messages, which carry no code. */
const MESSAGE_REASONS: readonly (readonly [RegExp, OutageReason])[] = [
  [/^Connection terminated due to connection timeout/, "connect timed out"],
  [/^timeout exceeded when trying to connect/, "connect timed out"],
  [/^Connection terminated/, "connection lost"],
  [/^Client has encountered a connection error and is not queryable/, "connection lost"],
  [/^Client was closed and is not queryable/, "connection lost"],
];

/** How deep `cause` chains and AggregateError members are followed (a connect to `localhost` tries ::1 and 127.0.0.1). */
const MAX_DEPTH = 4;

/**
 * The outage an error reports, or null when it is something else (a bug, bad
 * data, a constraint): those must not be waited out. Looks through `cause`
 * and AggregateError's `errors`.
 */
export function classifyOutage(e: unknown, depth = 0): OutageReason | null {
  if (depth > MAX_DEPTH || e === null || typeof e !== "object") return null;
  const { code, message, cause, errors } = e as {
    code?: unknown;
    message?: unknown;
    cause?: unknown;
    errors?: unknown;
  };
  if (typeof code === "string") {
    if (/^08[0-9A-Z]{3}$/.test(code)) return "connection lost";
    const reason = SQLSTATE_REASONS[code] ?? SOCKET_REASONS[code];
    if (reason) return reason;
  }
  if (typeof message === "string")
    for (const [pattern, reason] of MESSAGE_REASONS) if (pattern.test(message)) return reason;
  if (Array.isArray(errors))
    for (const inner of errors) {
      const reason = classifyOutage(inner, depth + 1);
      if (reason) return reason;
    }
  return classifyOutage(cause, depth + 1);
}

export function isOutageError(e: unknown): boolean {
  return classifyOutage(e) !== null;
}

export interface OutageRetryPolicy {
  baseMs: number;
  factor: number;
  /**
   * Longest wait between tries: bounds how late work resumes after the
   * dependency returns (with 1 s, within about a second plus a connect).
   */
  capMs: number;
  /** Fraction added or removed at random, so replicas do not retry in step. */
  jitter: number;
}

export const OUTAGE_RETRY_POLICY: OutageRetryPolicy = { baseMs: 100, factor: 2, capMs: 1000, jitter: 0.2 };

/** Wait before try `failures + 1` after `failures` (≥ 1) failed: base · factor^(failures − 1), capped, ± jitter. `random` in [0, 1). */
export function computeOutageRetryDelayMs(
  failures: number,
  random: number,
  policy: OutageRetryPolicy = OUTAGE_RETRY_POLICY,
): number {
  const delay = Math.min(policy.capMs, policy.baseMs * policy.factor ** Math.max(0, failures - 1));
  return Math.round(delay * (1 + policy.jitter * (2 * random - 1)));
}

/**
 * When a lease holder renews next: every `renewMs` while renewals succeed;
 * after `failures` failed ones in a row, at the outage pace (never slower
 * than `renewMs`), so a lease is renewed within about a second of the
 * database coming back instead of at the next period, which may be past the
 * lease's expiry.
 */
export function computeLeaseRenewalDelayMs(input: { failures: number; renewMs: number; random: number }): number {
  if (input.failures === 0) return input.renewMs;
  return Math.min(input.renewMs, computeOutageRetryDelayMs(input.failures, input.random));
}

/**
 * Whether another replica may have adopted the attempt by now: the last
 * successful renewal (taken when its request was sent, the earliest the
 * database could have stamped it) is a whole lease ago. Until then a holder
 * that cannot reach the database is certainly still the owner.
 */
export function leaseMayHaveExpired(input: { lastRenewedAtMs: number; nowMs: number; leaseMs: number }): boolean {
  return input.nowMs - input.lastRenewedAtMs >= input.leaseMs;
}

/**
 * How long before a lease may have expired its holder stops letting the
 * agent act when renewals fail: covers the time between the claim (or a
 * renewal's request) and the local stamp taken for it, and clock-rate drift.
 */
export const AGENT_GATE_MARGIN_SECONDS = 5;

/**
 * What the agent of an attempt may do at its next step (a model call, a
 * tool): `go` — the lease is certainly held; `wait` — renewals have failed
 * for almost a lease (the database is away, or this process was frozen), so
 * another replica may be about to adopt: hold still until a renewal says
 * either way; `stop` — the attempt is over here (the lease went to another
 * replica, or the attempt ended or is being interrupted). Decided from the
 * local clock alone, so a replica that wakes from a freeze stops its agent
 * before any database round trip (docs/faults.md, "The agent gate").
 */
export type AgentGate = "go" | "wait" | "stop";

export function decideAgentGate(input: {
  over: boolean;
  lastRenewedAtMs: number;
  nowMs: number;
  leaseMs: number;
  marginMs: number;
}): AgentGate {
  if (input.over) return "stop";
  return input.nowMs - input.lastRenewedAtMs < input.leaseMs - input.marginMs ? "go" : "wait";
}
