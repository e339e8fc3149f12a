import { NotFoundError, UnavailableError } from "@industrial/core";
import { describe, expect, it } from "vitest";
import { toHttpError, UNAVAILABLE_RETRY_AFTER_SECONDS } from "./http-errors";

const err = (message: string, fields: Record<string, unknown> = {}) => Object.assign(new Error(message), fields);

describe("errors of a database that is away are 503 UNAVAILABLE, never 500", () => {
  const outages: [string, unknown, string][] = [
    [
      "refused (restarting, or its port closed)",
      err("connect ECONNREFUSED 127.0.0.1:5432", { code: "ECONNREFUSED" }),
      "connection refused",
    ],
    [
      "shut down under the request (57P01)",
      err("terminating connection due to administrator command", { code: "57P01" }),
      "server shutting down",
    ],
    ["starting up (57P03)", err("the database system is starting up", { code: "57P03" }), "server starting up"],
    ["a connection exception (08006)", err("connection failure", { code: "08006" }), "connection lost"],
    ["the connection ended (no code)", err("Connection terminated unexpectedly"), "connection lost"],
    ["no connection within the pool's timeout", err("timeout exceeded when trying to connect"), "connect timed out"],
  ];
  it.each(outages)("%s", (_name, e, reason) => {
    const r = toHttpError(e, "req-1");
    expect(r).toMatchObject({ status: 503, internal: false, retryAfterSeconds: UNAVAILABLE_RETRY_AFTER_SECONDS });
    expect(r.body.error.code).toBe("UNAVAILABLE");
    expect(r.body.error.message).toBe(
      `the database cannot be reached right now (${reason}); try again in a few seconds`,
    );
    expect(r.body.error.requestId).toBe("req-1");
    expect(r.body.error.suggestion).toMatch(/Retry-After/);
    // The server's address and the driver's wording stay in the log.
    expect(JSON.stringify(r.body)).not.toMatch(/127\.0\.0\.1|administrator/);
  });

  it("does not blame the database for an outage another client wrapped (a runner's request)", () => {
    const r = toHttpError(
      new Error("OpenCode revert: fetch failed", { cause: err("connect ECONNREFUSED", { code: "ECONNREFUSED" }) }),
      "r",
    );
    expect(r.status).toBe(503);
    expect(r.body.error.message).toMatch(
      /^a service the server depends on cannot be reached right now \(connection refused\)/,
    );
  });

  it("gives a domain UNAVAILABLE (a runner that cannot start) Retry-After too, and other domain errors none", () => {
    expect(toHttpError(new UnavailableError("OpenCode did not start"), "r")).toMatchObject({
      status: 503,
      retryAfterSeconds: UNAVAILABLE_RETRY_AFTER_SECONDS,
    });
    const notFound = toHttpError(new NotFoundError("session", "x"), "r");
    expect(notFound.status).toBe(404);
    expect(notFound.retryAfterSeconds).toBeUndefined();
  });

  it("keeps everything else as it was: data exceptions 400, the unknown 500 with a generic message", () => {
    expect(toHttpError(err("invalid byte sequence", { code: "22021" }), "r").status).toBe(400);
    const r = toHttpError(err("relation does not exist", { code: "42P01" }), "r");
    expect(r).toMatchObject({ status: 500, internal: true });
    expect(r.retryAfterSeconds).toBeUndefined();
    expect(r.body.error.message).not.toMatch(/relation/);
  });
});
