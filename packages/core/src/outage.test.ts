import { describe, expect, it } from "vitest";
import { DomainError, ErrorCode } from "./errors";
import {
  classifyOutage,
  computeLeaseRenewalDelayMs,
  computeOutageRetryDelayMs,
  isOutageError,
  leaseMayHaveExpired,
  AGENT_GATE_MARGIN_SECONDS,
  decideAgentGate,
  OUTAGE_RETRY_POLICY,
  type OutageReason,
} from "./outage";

/** An error as node-postgres or Node's net module throws it. */
const err = (message: string, fields: Record<string, unknown> = {}) => Object.assign(new Error(message), fields);

describe("which errors are an outage", () => {
  const outages: [string, unknown, OutageReason][] = [
    [
      "PostgreSQL shutting down (pg_ctl restart)",
      err("terminating connection due to administrator command", { code: "57P01" }),
      "server shutting down",
    ],
    [
      "PostgreSQL crash shutdown",
      err("terminating connection because of crash of another server process", { code: "57P02" }),
      "server shutting down",
    ],
    ["PostgreSQL starting up", err("the database system is starting up", { code: "57P03" }), "server starting up"],
    ["too many connections", err("sorry, too many clients already", { code: "53300" }), "too many connections"],
    ["08000 connection_exception", err("connection exception", { code: "08000" }), "connection lost"],
    ["08003 connection_does_not_exist", err("no connection", { code: "08003" }), "connection lost"],
    ["08006 connection_failure", err("connection failure", { code: "08006" }), "connection lost"],
    ["08001 unable to connect", err("could not connect", { code: "08001" }), "connection lost"],
    ["08004 rejected connection", err("rejected", { code: "08004" }), "connection lost"],
    ["08P01 protocol violation", err("protocol", { code: "08P01" }), "connection lost"],
    [
      "refused",
      err("connect ECONNREFUSED 127.0.0.1:5432", { code: "ECONNREFUSED", errno: -111, syscall: "connect" }),
      "connection refused",
    ],
    ["reset", err("read ECONNRESET", { code: "ECONNRESET" }), "connection lost"],
    ["aborted", err("aborted", { code: "ECONNABORTED" }), "connection lost"],
    ["broken pipe", err("write EPIPE", { code: "EPIPE" }), "connection lost"],
    ["socket timeout", err("connect ETIMEDOUT", { code: "ETIMEDOUT" }), "connect timed out"],
    ["host unreachable", err("connect EHOSTUNREACH", { code: "EHOSTUNREACH" }), "host unreachable"],
    ["network unreachable", err("connect ENETUNREACH", { code: "ENETUNREACH" }), "host unreachable"],
    ["unknown host", err("getaddrinfo ENOTFOUND db", { code: "ENOTFOUND" }), "host unreachable"],
    ["DNS try again", err("getaddrinfo EAI_AGAIN db", { code: "EAI_AGAIN" }), "host unreachable"],
    ["connection ended under a query", err("Connection terminated unexpectedly"), "connection lost"],
    ["connection ended", err("Connection terminated"), "connection lost"],
    ["connect timeout of node-postgres", err("Connection terminated due to connection timeout"), "connect timed out"],
    ["pool connect timeout", err("timeout exceeded when trying to connect"), "connect timed out"],
    [
      "a client whose socket failed",
      err("Client has encountered a connection error and is not queryable"),
      "connection lost",
    ],
    ["a closed client", err("Client was closed and is not queryable"), "connection lost"],
    // `localhost` resolves to ::1 and 127.0.0.1: Node reports both refusals at once.
    [
      "AggregateError of refusals",
      Object.assign(
        new AggregateError(
          [
            err("connect ECONNREFUSED ::1:5432", { code: "ECONNREFUSED" }),
            err("connect ECONNREFUSED 127.0.0.1:5432", { code: "ECONNREFUSED" }),
          ],
          "",
        ),
        {},
      ),
      "connection refused",
    ],
    [
      "AggregateError members only",
      new AggregateError([new Error("x"), err("y", { code: "ECONNREFUSED" })]),
      "connection refused",
    ],
    [
      "wrapped as a cause",
      new Error("write failed", { cause: err("Connection terminated unexpectedly") }),
      "connection lost",
    ],
    [
      "a domain error caused by an outage",
      new DomainError(ErrorCode.UNAVAILABLE, "runner", { cause: err("refused", { code: "ECONNREFUSED" }) }),
      "connection refused",
    ],
  ];
  it.each(outages)("%s", (_name, e, reason) => {
    expect(classifyOutage(e)).toBe(reason);
    expect(isOutageError(e)).toBe(true);
  });

  const others: [string, unknown][] = [
    ["unique violation", err("duplicate key", { code: "23505" })],
    ["serialization failure (retried by the transaction itself)", err("could not serialize", { code: "40001" })],
    ["deadlock", err("deadlock detected", { code: "40P01" })],
    ["data exception", err("invalid byte sequence", { code: "22021" })],
    ["undefined table (a bug)", err("relation does not exist", { code: "42P01" })],
    ["query canceled", err("canceling statement due to statement timeout", { code: "57014" })],
    ["a domain error", new DomainError(ErrorCode.NOT_FOUND, "session x not found")],
    ["a stale fencing token", new DomainError(ErrorCode.STALE_FENCING_TOKEN, "stale")],
    ["a plain error", new Error("boom")],
    ["a message that only mentions a connection", new Error("the Connection terminated message is not at the start")],
    ["a string", "ECONNREFUSED"],
    ["null", null],
    ["undefined", undefined],
    ["a number", 57],
    ["a code that is not a string", { code: 57, message: 3 }],
    ["an empty AggregateError", new AggregateError([])],
  ];
  it.each(others)("not %s", (_name, e) => {
    expect(classifyOutage(e)).toBeNull();
    expect(isOutageError(e)).toBe(false);
  });

  it("follows causes only so deep (a cycle cannot loop)", () => {
    const a: { message: string; cause?: unknown } = { message: "a" };
    a.cause = a;
    expect(classifyOutage(a)).toBeNull();
    let deep: unknown = err("refused", { code: "ECONNREFUSED" });
    for (let i = 0; i < 4; i++) deep = new Error(`level ${i}`, { cause: deep });
    expect(classifyOutage(deep)).toBe("connection refused");
    expect(classifyOutage(new Error("level 5", { cause: deep }))).toBeNull();
  });
});

describe("outage retry pace", () => {
  it("doubles from 100 ms and stops at 1 s (jitter at its midpoint)", () => {
    expect([1, 2, 3, 4, 5, 6, 50].map((n) => computeOutageRetryDelayMs(n, 0.5))).toEqual([
      100, 200, 400, 800, 1000, 1000, 1000,
    ]);
  });

  it("keeps jitter within ±20 %", () => {
    expect(computeOutageRetryDelayMs(5, 0)).toBe(800);
    expect(computeOutageRetryDelayMs(5, 0.999999)).toBe(1200);
    expect(computeOutageRetryDelayMs(1, 0)).toBe(80);
  });

  it("treats a count below one as the first failure", () => {
    expect(computeOutageRetryDelayMs(0, 0.5)).toBe(100);
  });

  it("takes another policy", () => {
    expect(computeOutageRetryDelayMs(3, 0.5, { baseMs: 10, factor: 3, capMs: 50, jitter: 0 })).toBe(50);
    expect(computeOutageRetryDelayMs(2, 0.9, { baseMs: 10, factor: 3, capMs: 50, jitter: 0 })).toBe(30);
  });

  it("resumes within about a second of the database coming back, however long it was away", () => {
    const worst = Math.max(...Array.from({ length: 100 }, (_, i) => computeOutageRetryDelayMs(i + 1, 0.999999)));
    expect(worst).toBe(OUTAGE_RETRY_POLICY.capMs * (1 + OUTAGE_RETRY_POLICY.jitter));
  });
});

describe("lease renewal pace", () => {
  it("renews every period while renewals succeed", () => {
    expect(computeLeaseRenewalDelayMs({ failures: 0, renewMs: 10_000, random: 0.5 })).toBe(10_000);
  });

  it("retries at the outage pace after a failure", () => {
    expect(
      [1, 2, 3, 4, 5, 20].map((failures) => computeLeaseRenewalDelayMs({ failures, renewMs: 10_000, random: 0.5 })),
    ).toEqual([100, 200, 400, 800, 1000, 1000]);
  });

  it("never waits longer than the period (short periods in tests)", () => {
    expect(computeLeaseRenewalDelayMs({ failures: 5, renewMs: 300, random: 0.999 })).toBe(300);
  });

  it("says a lease may have expired once a whole lease has passed since the last renewal", () => {
    expect(leaseMayHaveExpired({ lastRenewedAtMs: 0, nowMs: 29_999, leaseMs: 30_000 })).toBe(false);
    expect(leaseMayHaveExpired({ lastRenewedAtMs: 0, nowMs: 30_000, leaseMs: 30_000 })).toBe(true);
    expect(leaseMayHaveExpired({ lastRenewedAtMs: 10_000, nowMs: 25_000, leaseMs: 30_000 })).toBe(false);
  });
});

describe("the agent gate", () => {
  const base = { over: false, lastRenewedAtMs: 100_000, leaseMs: 30_000, marginMs: 5_000 };
  it("lets the agent act while the last renewal is less than a lease less the margin ago", () => {
    expect(decideAgentGate({ ...base, nowMs: 100_000 })).toBe("go");
    expect(decideAgentGate({ ...base, nowMs: 124_999 })).toBe("go");
  });
  it("holds it still from a lease less the margin on, whatever happened meanwhile (a freeze, an outage)", () => {
    expect(decideAgentGate({ ...base, nowMs: 125_000 })).toBe("wait");
    expect(decideAgentGate({ ...base, nowMs: 140_000 })).toBe("wait");
    expect(decideAgentGate({ ...base, nowMs: 10_000_000 })).toBe("wait");
  });
  it("a clock that stepped back is no reason to stop", () => {
    expect(decideAgentGate({ ...base, nowMs: 50_000 })).toBe("go");
  });
  it("stops it once the attempt is over here, renewed or not", () => {
    for (const nowMs of [100_000, 124_999, 125_000, 200_000])
      expect(decideAgentGate({ ...base, over: true, nowMs })).toBe("stop");
  });
  it("the margin is a fraction of the lease", () => {
    expect(AGENT_GATE_MARGIN_SECONDS).toBeGreaterThan(0);
    expect(AGENT_GATE_MARGIN_SECONDS * 1000).toBeLessThan(30_000 / 2);
  });
});
