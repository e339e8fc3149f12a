import { describe, expect, it } from "vitest";
import { describeTaskError } from "./task-error";

describe("describeTaskError", () => {
  it("adds the paths the message does not name, once", () => {
    expect(describeTaskError({ message: "merge conflict with the integration branch in a.md", paths: ["a.md"] })).toBe(
      "merge conflict with the integration branch in a.md",
    );
    expect(describeTaskError({ message: "merge conflict", paths: ["src/users.ts", "b.ts"] })).toBe(
      "merge conflict (src/users.ts, b.ts)",
    );
    expect(describeTaskError({ message: "failed" })).toBe("failed");
  });
});
