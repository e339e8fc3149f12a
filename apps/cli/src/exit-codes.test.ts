import { SESSION_STATUSES } from "@industrial/core";
import { describe, expect, it } from "vitest";
import { ExitCode, exitCodeForHttpStatus, exitCodeForOutcome } from "./exit-codes";

describe("exit codes", () => {
  it("only a completed session is success", () => {
    for (const s of SESSION_STATUSES) expect(exitCodeForOutcome(s)).toBe(s === "completed" ? 0 : 1);
  });

  it("map HTTP statuses to the documented table", () => {
    expect([400, 401, 413, 422, 429].map(exitCodeForHttpStatus)).toEqual(Array(5).fill(ExitCode.USAGE));
    expect(exitCodeForHttpStatus(404)).toBe(3);
    expect(exitCodeForHttpStatus(409)).toBe(4);
    expect([500, 502, 503, 200].map(exitCodeForHttpStatus)).toEqual(Array(4).fill(ExitCode.UNAVAILABLE));
  });
});
