import { describe, expect, it } from "vitest";
import { safeNext, signInHref } from "./sign-in";

describe("sign-in redirects", () => {
  it("keeps a path of this site with its query and hash", () => {
    expect(safeNext("/sessions")).toBe("/sessions");
    expect(safeNext("/sessions?status=running,failed&q=a%20b")).toBe("/sessions?status=running,failed&q=a%20b");
    expect(safeNext("/tasks/0b1c#graph")).toBe("/tasks/0b1c#graph");
    expect(safeNext("/settings/../agents")).toBe("/agents");
  });

  it("refuses anything that could leave the site (no open redirect)", () => {
    for (const bad of [
      "//evil.example",
      "//evil.example/sessions",
      "/\\evil.example",
      "\\\\evil.example",
      "https://evil.example/",
      "http:evil.example",
      "javascript:alert(1)",
      "evil.example",
      "/\t/evil.example",
      "/\n/evil.example",
      " /sessions",
      "",
      null,
      undefined,
      "/".padEnd(2001, "a"),
    ])
      expect(safeNext(bad), String(bad)).toBe("/");
  });

  it("never returns to the sign-in page itself", () => {
    expect(safeNext("/sign-in")).toBe("/");
    expect(safeNext("/sign-in?next=/sessions")).toBe("/");
    expect(safeNext("/sign-in-help")).toBe("/sign-in-help");
  });

  it("builds the sign-in address that comes back here", () => {
    expect(signInHref("/sessions?status=running")).toBe("/sign-in?next=%2Fsessions%3Fstatus%3Drunning");
    expect(signInHref("/")).toBe("/sign-in");
    expect(signInHref("/sign-in?next=/x")).toBe("/sign-in");
    expect(signInHref("//evil.example")).toBe("/sign-in");
  });
});
