import { describe, expect, it } from "vitest";
import { computeModelCandidates, computeSwitchReason, decideModelSwitch, type ProviderFailure } from "./model-switch";

const api = (status: number | null, message = "provider error"): ProviderFailure => ({
  kind: "error",
  name: "APIError",
  status,
  message,
});
const retries = (message = "Rate limited"): ProviderFailure => ({ kind: "retries_exhausted", message });

describe("computeSwitchReason", () => {
  it("leaves a model whose provider kept failing past OpenCode's retries", () => {
    expect(computeSwitchReason(retries())).toBe("unavailable");
    expect(computeSwitchReason(retries("Overloaded"))).toBe("unavailable");
    expect(computeSwitchReason(retries(""))).toBe("unavailable");
  });

  it("leaves a model whose provider refused the credentials (ProviderAuthError, 401, 403)", () => {
    expect(computeSwitchReason({ kind: "error", name: "ProviderAuthError", status: null, message: "bad key" })).toBe(
      "auth",
    );
    expect(computeSwitchReason(api(401))).toBe("auth");
    expect(computeSwitchReason(api(403))).toBe("auth");
  });

  it("leaves a model whose quota is spent: 402, or any failure that says quota", () => {
    expect(computeSwitchReason(api(402))).toBe("quota");
    expect(computeSwitchReason(api(429, "You exceeded your current quota (insufficient_quota)"))).toBe("quota");
    expect(computeSwitchReason(api(403, "Quota exceeded for project"))).toBe("quota");
    expect(computeSwitchReason(api(400, "QUOTA_EXHAUSTED"))).toBe("quota");
    expect(computeSwitchReason(retries("insufficient_quota"))).toBe("quota");
    expect(
      computeSwitchReason({ kind: "error", name: "UnknownError", status: null, message: "monthly quota reached" }),
    ).toBe("quota");
  });

  it("leaves a model OpenCode stopped retrying on its own (408, 429, every 5xx)", () => {
    for (const s of [408, 429, 500, 502, 503, 504, 529, 599])
      expect(computeSwitchReason(api(s)), String(s)).toBe("unavailable");
  });

  it("never leaves for any other 4xx: the request itself is wrong, on every model", () => {
    for (const s of [400, 404, 405, 409, 413, 415, 422, 451, 499])
      expect(computeSwitchReason(api(s)), String(s)).toBeNull();
  });

  it("never leaves for failures that are not the provider's (abort, context overflow, unknown without a status)", () => {
    for (const name of [
      "MessageAbortedError",
      "ContextOverflowError",
      "MessageOutputLengthError",
      "ContentFilterError",
      "UnknownError",
      "APIError",
    ])
      expect(computeSwitchReason({ kind: "error", name, status: null, message: "x" }), name).toBeNull();
  });
});

describe("decideModelSwitch", () => {
  const current = "scripted/scripted-unavailable";

  it("moves to the first candidate, with from, to and the reason", () => {
    expect(decideModelSwitch({ failure: retries(), current, candidates: ["scripted/scripted-model", "x/y"] })).toEqual({
      switch: true,
      from: current,
      to: "scripted/scripted-model",
      reason: "unavailable",
    });
    expect(decideModelSwitch({ failure: api(401), current: "a/b", candidates: ["c/d"] })).toMatchObject({
      switch: true,
      from: "a/b",
      to: "c/d",
      reason: "auth",
    });
    expect(decideModelSwitch({ failure: api(402), current: "a/b", candidates: ["c/d"] })).toMatchObject({
      switch: true,
      reason: "quota",
    });
  });

  it("does not switch when nothing failed", () => {
    expect(decideModelSwitch({ failure: null, current, candidates: ["scripted/scripted-model"] })).toEqual({
      switch: false,
      why: "the model did not fail",
    });
  });

  it("does not switch for a failure another model would not fix, even with candidates", () => {
    expect(decideModelSwitch({ failure: api(400), current, candidates: ["scripted/scripted-model"] })).toEqual({
      switch: false,
      why: "APIError 400 is not a reason to change models",
    });
    expect(
      decideModelSwitch({
        failure: { kind: "error", name: "ContextOverflowError", status: null, message: "too long" },
        current,
        candidates: ["a/b"],
      }),
    ).toEqual({
      switch: false,
      why: "ContextOverflowError is not a reason to change models",
    });
  });

  it("does not switch when no candidate is left (none given, or only the current model)", () => {
    expect(decideModelSwitch({ failure: retries(), current, candidates: [] })).toEqual({
      switch: false,
      why: `no fallback model left after ${current}`,
    });
    expect(decideModelSwitch({ failure: api(503), current, candidates: [current] })).toEqual({
      switch: false,
      why: `no fallback model left after ${current}`,
    });
  });

  it("every failure kind and candidate count: a switch only with a reason and a candidate, always to the first other one", () => {
    const failures: (ProviderFailure | null)[] = [
      null,
      retries(),
      api(400),
      api(401),
      api(402),
      api(429),
      api(503),
      api(null),
      { kind: "error", name: "ProviderAuthError", status: null, message: "" },
    ];
    const lists = [[], [current], ["a/b"], [current, "a/b", "c/d"], ["a/b", "c/d"]];
    for (const failure of failures)
      for (const candidates of lists) {
        const d = decideModelSwitch({ failure, current, candidates });
        const reason = failure ? computeSwitchReason(failure) : null;
        const next = candidates.find((c) => c !== current);
        expect(d.switch, JSON.stringify({ failure, candidates })).toBe(reason !== null && next !== undefined);
        if (d.switch) expect(d).toEqual({ switch: true, from: current, to: next, reason });
      }
  });
});

describe("computeModelCandidates", () => {
  it("keeps the fallbacks in order, without the first model, duplicates, or models the runner does not offer", () => {
    const available = ["scripted/scripted-model", "scripted/scripted-model-large", "scripted/scripted-unavailable"];
    expect(
      computeModelCandidates({
        first: "scripted/scripted-unavailable",
        fallbacks: [
          "openai/gpt-5",
          "scripted/scripted-model-large",
          "scripted/scripted-unavailable",
          "scripted/scripted-model",
          "scripted/scripted-model-large",
          "openai/gpt-5",
        ],
        available,
      }),
    ).toEqual({ candidates: ["scripted/scripted-model-large", "scripted/scripted-model"], dropped: ["openai/gpt-5"] });
    expect(computeModelCandidates({ first: "a/b", fallbacks: [], available })).toEqual({ candidates: [], dropped: [] });
    expect(computeModelCandidates({ first: "a/b", fallbacks: ["c/d"], available: [] })).toEqual({
      candidates: [],
      dropped: ["c/d"],
    });
  });
});
