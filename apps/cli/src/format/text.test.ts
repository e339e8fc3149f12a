import { describe, expect, it } from "vitest";
import { formatAge, formatClock, formatCost, formatCount, formatDuration, oneLine, shortId, truncate } from "./text";

describe("text formatters", () => {
  it("shortId takes the first 8 hex digits, dashes ignored", () => {
    expect(shortId("9371ba73-ff30-47f3-8d8c-25a075dbabe1")).toBe("9371ba73");
    expect(shortId("0000-0000-1111")).toBe("00000000");
  });

  it("truncate keeps short text and cuts long text with one ellipsis", () => {
    expect(truncate("hello", 5)).toBe("hello");
    expect(truncate("hello world", 6)).toBe("hello…");
    expect(truncate("a\nb", 10)).toBe("a ↵ b");
    expect(truncate("abc", 1)).toBe("a");
  });

  it("oneLine joins lines and trims", () => {
    expect(oneLine("  first\r\n  second\n\nthird  ")).toBe("first ↵ second ↵ third");
  });

  it("formatAge uses the largest unit and never goes negative", () => {
    const now = new Date("2026-01-02T00:00:00Z");
    expect(formatAge("2026-01-01T23:59:18Z", now)).toBe("42s");
    expect(formatAge("2026-01-01T23:55:00Z", now)).toBe("5m");
    expect(formatAge("2026-01-01T21:00:00Z", now)).toBe("3h");
    expect(formatAge("2025-12-30T00:00:00Z", now)).toBe("3d");
    expect(formatAge("2026-01-02T00:00:05Z", now)).toBe("0s");
  });

  it("formatDuration picks ms, seconds, minutes or hours", () => {
    expect(formatDuration(0.0984)).toBe("98ms");
    expect(formatDuration(12.34)).toBe("12.3s");
    expect(formatDuration(245)).toBe("4m 05s");
    expect(formatDuration(7380)).toBe("2h 03m");
  });

  it("formatClock shows UTC wall time and passes junk through", () => {
    expect(formatClock("2026-11-22T03:23:35.545Z")).toBe("03:23:35");
    expect(formatClock("2026-11-22T05:23:35+02:00")).toBe("03:23:35");
    expect(formatClock("not a date")).toBe("not a date");
  });

  it("formatCount and formatCost read like people write them", () => {
    expect([
      formatCount(950),
      formatCount(4900),
      formatCount(12_345),
      formatCount(250_000),
      formatCount(4_500_000),
    ]).toEqual(["950", "4.9k", "12.3k", "250k", "4.5M"]);
    expect(formatCost(0.00491)).toBe("$0.0049");
    expect(formatCost(12.5)).toBe("$12.50");
  });
});
