import { describe, expect, it } from "vitest";
import { cn, variants } from "./cn";

describe("cn", () => {
  it("skips falsy parts and lets the later of two conflicting classes win", () => {
    expect(cn("px-3", false, null, undefined, "px-4")).toBe("px-4");
    expect(cn("border-2 border-line", "border-st-failed")).toBe("border-2 border-st-failed");
  });

  it("knows our theme tokens", () => {
    expect(cn("shadow-hard", "shadow-hard-accent")).toBe("shadow-hard-accent");
    expect(cn("text-xs", "text-st-failed")).toBe("text-xs text-st-failed");
    expect(cn("tracking-[0.12em]", "tracking-label")).toBe("tracking-label");
  });

  it("keeps classes that are not Tailwind's (label, num)", () => {
    expect(cn("label", "num", "text-muted")).toBe("label num text-muted");
  });
});

describe("variants", () => {
  const box = variants("border-2 px-3", { size: { sm: "h-8", md: "h-10" } }, { size: "md" });
  it("applies defaults and lets extra classes override the variant", () => {
    expect(box()).toBe("border-2 px-3 h-10");
    expect(box({ size: "sm" }, "px-1")).toBe("border-2 h-8 px-1");
  });
});
