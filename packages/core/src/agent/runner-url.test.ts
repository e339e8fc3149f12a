import { describe, expect, it } from "vitest";
import { parseRemoteRunnerUrl } from "./runner-url";

describe("parseRemoteRunnerUrl", () => {
  it("takes the password out of the URL, and leaves a URL without one as it is", () => {
    expect(parseRemoteRunnerUrl("http://opencode:s3cret@runner.tenant-a:4096/")).toEqual({
      ok: true,
      url: "http://runner.tenant-a:4096",
      password: "s3cret",
    });
    expect(parseRemoteRunnerUrl("https://opencode:p%40ss%3Aword@10.0.0.5")).toEqual({
      ok: true,
      url: "https://10.0.0.5",
      password: "p@ss:word",
    });
    expect(parseRemoteRunnerUrl("http://127.0.0.1:4096")).toEqual({
      ok: true,
      url: "http://127.0.0.1:4096",
      password: null,
    });
    expect(parseRemoteRunnerUrl("http://:only-password@host:1")).toEqual({
      ok: true,
      url: "http://host:1",
      password: "only-password",
    });
  });

  it("names what is wrong, never echoing a password", () => {
    const cases: [string, RegExp][] = [
      ["runner:4096", /http\(s\) URL/],
      ["not a url", /not a URL/],
      ["ftp://opencode:x@host", /http\(s\) URL/],
      ["http://admin:x@host", /one user, opencode/],
      ["http://opencode@host", /no password/],
      ["http://opencode:@host", /Secret not filled in/],
      ["http://opencode:p%zz@host", /malformed %-escape/],
      ["http://opencode:x@host/?a=1", /no query or fragment/],
    ];
    for (const [text, reason] of cases) {
      const r = parseRemoteRunnerUrl(text);
      expect(r.ok, text).toBe(false);
      if (!r.ok) {
        expect(r.reason).toMatch(reason);
        expect(r.reason).not.toContain(":x@");
      }
    }
  });
});
