import { describe, expect, it } from "vitest";
import { computeAdmissionBlock, computeFreeSlots, isModelAllowed } from "./tenant";

const tenant = { active: true, maxConcurrentSessions: 3, monthlyTokenBudget: null, monthlyCostBudgetUsd: null };
const idle = { active: 0, tokens: 0, costUsd: 0 };

describe("tenant admission", () => {
  it("queues whatever the quota: it bounds the sessions running, at dispatch", () => {
    expect(computeAdmissionBlock(tenant, idle)).toBeNull();
    const zero = { ...tenant, maxConcurrentSessions: 0 };
    const crowded = { ...idle, active: 50 };
    expect(computeAdmissionBlock(zero, crowded)).toBeNull();
  });

  it("counts the running slots the quota leaves free (a lowered quota leaves running sessions alone)", () => {
    expect(computeFreeSlots(tenant, { running: 1 })).toBe(2);
    expect(computeFreeSlots(tenant, { running: 3 })).toBe(0);
    expect(computeFreeSlots(tenant, { running: 5 })).toBe(0);
    expect(computeFreeSlots({ maxConcurrentSessions: 0, active: true }, { running: 0 })).toBe(0);
    expect(computeFreeSlots({ maxConcurrentSessions: 3, active: false }, { running: 0 })).toBe(0);
  });

  it("names the first limit that holds: inactive, then tokens, then cost", () => {
    const spent = { active: 3, tokens: 1000, costUsd: 2 };
    const all = { active: false, maxConcurrentSessions: 3, monthlyTokenBudget: 1000, monthlyCostBudgetUsd: 2 };
    expect(computeAdmissionBlock(all, spent)).toBe("waiting: tenant is inactive");
    expect(computeAdmissionBlock({ ...all, active: true }, spent)).toBe(
      "waiting: tenant monthly token budget of 1000 is used up",
    );
    expect(computeAdmissionBlock({ ...all, active: true, monthlyTokenBudget: null }, spent)).toBe(
      "waiting: tenant monthly cost budget of $2 is used up",
    );
    expect(
      computeAdmissionBlock({ ...all, active: true, monthlyTokenBudget: 1001, monthlyCostBudgetUsd: 2.01 }, spent),
    ).toBeNull();
  });

  it("treats a budget of 0 as used up and a missing one as no limit", () => {
    expect(computeAdmissionBlock({ ...tenant, monthlyTokenBudget: 0 }, idle)).toBe(
      "waiting: tenant monthly token budget of 0 is used up",
    );
    expect(computeAdmissionBlock({ ...tenant, monthlyCostBudgetUsd: 0 }, idle)).toBe(
      "waiting: tenant monthly cost budget of $0 is used up",
    );
    expect(computeAdmissionBlock(tenant, { tokens: 1e12, costUsd: 1e9 })).toBeNull();
  });
});

describe("isModelAllowed", () => {
  it("allows any model without a list and only listed ones with one", () => {
    expect(isModelAllowed(null, "a/b")).toBe(true);
    expect(isModelAllowed([], "a/b")).toBe(false);
    expect(isModelAllowed(["a/b", "c/d"], "c/d")).toBe(true);
    expect(isModelAllowed(["a/b"], "a/c")).toBe(false);
  });
});
