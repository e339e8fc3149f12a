import { describe, expect, it } from "vitest";
import { computeTitle, FALLBACK_TITLE, MAX_TITLE_LENGTH } from "./title";

describe("computeTitle", () => {
  it("uses the first non-empty line without the script", () => {
    expect(computeTitle('\n  Fix   the login bug \nmore\nSCRIPT: [{"text":"x"}]')).toBe("Fix the login bug");
  });

  it("falls back when only a script is given", () => {
    expect(computeTitle("SCRIPT: []")).toBe(FALLBACK_TITLE);
    expect(computeTitle("")).toBe(FALLBACK_TITLE);
  });

  it("cuts long lines to 50 characters, on a word when one is near", () => {
    const t = computeTitle("Refactor the payment service so that every retry is idempotent and logged");
    expect(t.length).toBeLessThanOrEqual(MAX_TITLE_LENGTH);
    expect(t).toBe("Refactor the payment service so that every retry…");
    const word = computeTitle("x".repeat(80));
    expect(word).toBe(`${"x".repeat(49)}…`);
  });
});
