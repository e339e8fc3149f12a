import { describe, expect, it } from "vitest";
import { planMirrorGc, type MirrorState } from "./mirror-retention";

const now = new Date("2025-06-15T12:00:00Z");
const daysAgo = (d: number) => new Date(now.getTime() - d * 86_400_000);
const mirror = (path: string, lastUsedDaysAgo: number | null, worktrees = 0, createdDaysAgo = 100): MirrorState => ({
  path,
  lastUsedAt: lastUsedDaysAgo === null ? null : daysAgo(lastUsedDaysAgo),
  createdAt: daysAgo(createdDaysAgo),
  worktrees,
});

describe("planMirrorGc", () => {
  it("removes a mirror unused for the retention and compacts the rest", () => {
    const plan = planMirrorGc({ mirrors: [mirror("/m/old", 15), mirror("/m/recent", 2)], now, retentionDays: 14 });
    expect(plan).toEqual({ remove: ["/m/old"], compact: ["/m/recent"] });
  });

  it("removes at exactly the retention, not a moment before", () => {
    expect(planMirrorGc({ mirrors: [mirror("/m/a", 14)], now, retentionDays: 14 }).remove).toEqual(["/m/a"]);
    const justInside = { ...mirror("/m/b", 14), lastUsedAt: new Date(daysAgo(14).getTime() + 1) };
    expect(planMirrorGc({ mirrors: [justInside], now, retentionDays: 14 }).remove).toEqual([]);
  });

  it("never removes a mirror that worktrees are still cut from, however old", () => {
    expect(planMirrorGc({ mirrors: [mirror("/m/used", 400, 1)], now, retentionDays: 14 })).toEqual({
      remove: [],
      compact: ["/m/used"],
    });
  });

  it("counts from the creation when no use was recorded", () => {
    expect(
      planMirrorGc({ mirrors: [mirror("/m/old", null, 0, 30), mirror("/m/new", null, 0, 1)], now, retentionDays: 14 }),
    ).toEqual({ remove: ["/m/old"], compact: ["/m/new"] });
  });

  it("removes nothing used 'in the future' (a clock that went back)", () => {
    expect(planMirrorGc({ mirrors: [mirror("/m/a", -3)], now, retentionDays: 1 }).remove).toEqual([]);
  });

  it("plans nothing for no mirrors", () => {
    expect(planMirrorGc({ mirrors: [], now, retentionDays: 14 })).toEqual({ remove: [], compact: [] });
  });
});
