import { describe, expect, it } from "vitest";
import { formatMountSpec, parseMountSpec } from "./sandbox-mount-spec";

describe("parseMountSpec", () => {
  it("reads path, path:ro and path:rw; without a mode a mount is read-only", () => {
    expect(parseMountSpec("/srv/cache")).toEqual({ ok: true, mount: { path: "/srv/cache", mode: "ro" } });
    expect(parseMountSpec("/srv/cache:ro")).toEqual({ ok: true, mount: { path: "/srv/cache", mode: "ro" } });
    expect(parseMountSpec("/srv/cache:rw")).toEqual({ ok: true, mount: { path: "/srv/cache", mode: "rw" } });
  });

  it("takes the mode after the last colon, so a path may hold colons", () => {
    expect(parseMountSpec("/a:b/c:rw")).toEqual({ ok: true, mount: { path: "/a:b/c", mode: "rw" } });
    expect(parseMountSpec("/a:b/c")).toEqual({ ok: true, mount: { path: "/a:b/c", mode: "ro" } });
    expect(parseMountSpec("/a:ro:rw")).toEqual({ ok: true, mount: { path: "/a:ro", mode: "rw" } });
  });

  it("ignores blanks around the value and the mode", () => {
    expect(parseMountSpec("  /srv/cache:rw \t")).toEqual({ ok: true, mount: { path: "/srv/cache", mode: "rw" } });
    expect(parseMountSpec("/srv/cache :ro")).toEqual({ ok: true, mount: { path: "/srv/cache", mode: "ro" } });
  });

  it("refuses a last part that is not a mode instead of mounting a path nobody meant, naming the value", () => {
    expect(parseMountSpec("/srv/cache:wr")).toEqual({
      ok: false,
      reason: '"/srv/cache:wr": the mode after the last : must be ro or rw',
    });
    expect(parseMountSpec("/srv/cache:RW")).toMatchObject({ ok: false });
    expect(parseMountSpec("/srv/cache:")).toMatchObject({
      ok: false,
      reason: expect.stringContaining("must be ro or rw"),
    });
    expect(parseMountSpec("C:")).toMatchObject({ ok: false });
  });

  it("refuses an empty value or a mode with no path", () => {
    for (const raw of ["", "   ", ":ro", " :rw"])
      expect(parseMountSpec(raw), JSON.stringify(raw)).toMatchObject({
        ok: false,
        reason: expect.stringContaining("expected path, path:ro or path:rw"),
      });
  });

  it("leaves the path's own rules to the API (relative or not normalised paths pass the syntax)", () => {
    expect(parseMountSpec("relative/dir:rw")).toEqual({ ok: true, mount: { path: "relative/dir", mode: "rw" } });
    expect(parseMountSpec("/srv/../etc")).toEqual({ ok: true, mount: { path: "/srv/../etc", mode: "ro" } });
  });

  it("reads back what formatMountSpec writes", () => {
    for (const m of [
      { path: "/srv/cache", mode: "ro" as const },
      { path: "/a:b/c", mode: "rw" as const },
      { path: "/x:rw", mode: "ro" as const },
    ]) {
      expect(formatMountSpec(m)).toBe(`${m.path}:${m.mode}`);
      expect(parseMountSpec(formatMountSpec(m))).toEqual({ ok: true, mount: m });
    }
  });
});
