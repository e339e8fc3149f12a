import { describe, expect, it } from "vitest";
import { computeAdmissionBlock, computeFreeSlots, isModelAllowed } from "./tenant";

const tenant = { active: true, maxConcurrentSessions: 3, monthlyTokenBudget: null, monthlyCostBudgetUsd: null };
const idle = { active: 0, tokens: 0, costUsd: 0 };

describe("tenant admission", () => {
  it("admits up to the quota", () => {
    expect(computeAdmissionBlock(tenant, idle)).toBeNull();
    expect(computeFreeSlots(tenant, { active: 1 }, null)).toBe(2);
    const full = { ...idle, active: 3 };
    expect(computeAdmissionBlock(tenant, full)).toBe("waiting: tenant quota of 3 concurrent sessions reached");
    expect(computeFreeSlots(tenant, full, "x")).toBe(0);
  });

  it("admits nothing at a quota of 0 or past it (a lowered quota leaves running sessions alone)", () => {
    expect(computeAdmissionBlock({ ...tenant, maxConcurrentSessions: 0 }, idle)).toBe("waiting: tenant quota of 0 concurrent sessions reached");
    expect(computeFreeSlots(tenant, { active: 5 }, null)).toBe(0);
  });

  it("names the first limit that holds: inactive, then tokens, then cost, then the quota", () => {
    const spent = { active: 3, tokens: 1000, costUsd: 2 };
    const all = { active: false, maxConcurrentSessions: 3, monthlyTokenBudget: 1000, monthlyCostBudgetUsd: 2 };
    expect(computeAdmissionBlock(all, spent)).toBe("waiting: tenant is inactive");
    expect(computeAdmissionBlock({ ...all, active: true }, spent)).toBe("waiting: tenant monthly token budget of 1000 is used up");
    expect(computeAdmissionBlock({ ...all, active: true, monthlyTokenBudget: null }, spent)).toBe("waiting: tenant monthly cost budget of $2 is used up");
    expect(computeAdmissionBlock({ ...all, active: true, monthlyTokenBudget: 1001, monthlyCostBudgetUsd: 2.01 }, spent)).toBe(
      "waiting: tenant quota of 3 concurrent sessions reached",
    );
  });

  it("treats a budget of 0 as used up and a missing one as no limit", () => {
    expect(computeAdmissionBlock({ ...tenant, monthlyTokenBudget: 0 }, idle)).toBe("waiting: tenant monthly token budget of 0 is used up");
    expect(computeAdmissionBlock({ ...tenant, monthlyCostBudgetUsd: 0 }, idle)).toBe("waiting: tenant monthly cost budget of $0 is used up");
    expect(computeAdmissionBlock(tenant, { active: 0, tokens: 1e12, costUsd: 1e9 })).toBeNull();
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
