import { describe, expect, it } from "vitest";
import {
  assertContextSize,
  CONTEXT_DATA_LIMIT_BYTES,
  contextOwnerProblems,
  ContextVersionConflictError,
  jsonEqual,
} from "./context";

const now = new Date("2026-03-01T00:00:00Z");
const later = new Date("2026-03-02T00:00:00Z");

describe("contexts", () => {
  it("checks who a context belongs to against its scope", () => {
    const ok = (
      scope: "session" | "agent" | "global" | "temporary",
      sessionId: string | null,
      agentId: string | null,
      expiresAt: Date | null,
    ) => contextOwnerProblems({ scope, sessionId, agentId, expiresAt }, now).map((p) => p.path);
    expect(ok("session", "s", null, null)).toEqual([]);
    expect(ok("session", null, "a", null)).toEqual(["sessionId", "agentId"]);
    expect(ok("agent", "s", "a", null)).toEqual(["sessionId"]);
    expect(ok("global", null, null, later)).toEqual(["expiresAt"]);
    expect(ok("temporary", "s", null, null)).toEqual(["expiresAt"]);
    expect(ok("temporary", "s", "a", later)).toEqual([]);
    expect(ok("temporary", null, null, now)).toEqual(["expiresAt"]);
  });

  it("limits data to 256 KiB of UTF-8 JSON", () => {
    expect(() => assertContextSize({ s: "x".repeat(CONTEXT_DATA_LIMIT_BYTES - 20) })).not.toThrow();
    expect(() => assertContextSize({ s: "é".repeat(CONTEXT_DATA_LIMIT_BYTES / 2) })).toThrow(/limit is 262144/);
  });

  it("compares JSON deeply, ignoring key order", () => {
    expect(jsonEqual({ a: [1, { b: 2 }], c: null }, { c: null, a: [1, { b: 2 }] })).toBe(true);
    expect(jsonEqual([1, 2], [2, 1])).toBe(false);
    expect(jsonEqual({ a: 1 }, { a: 1, b: undefined as never })).toBe(false);
  });

  it("names both versions and the changed keys in a version conflict", () => {
    const e = new ContextVersionConflictError("c1", 2, 4, ["a.b", "c"]);
    expect(e.code).toBe("CONFLICT");
    expect(e.context).toEqual({ contextId: "c1", expectedVersion: 2, currentVersion: 4, changedKeys: ["a.b", "c"] });
    expect(e.details?.map((d) => d.path)).toEqual(["body.expectedVersion", "data.a.b", "data.c"]);
    expect(e.message).toBe("context c1 is at version 4, not 2; changed since: a.b, c");
  });
});
