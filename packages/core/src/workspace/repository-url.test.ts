import { describe, expect, it } from "vitest";
import {
  computeMirrorName,
  computePushTarget,
  computeRepositoryAdmission,
  isRepositoryUrl,
  isUnderRepositoryPrefix,
  parseRepositoryLocation,
  parseRepositoryPrefix,
  type RepositoryUrl,
} from "./repository-url";

function url(value: string): RepositoryUrl {
  const r = parseRepositoryLocation(value);
  if (!r.ok) throw new Error(`${value}: ${r.reason}`);
  if (r.location.kind !== "url") throw new Error(`${value} is a path`);
  return r.location.url;
}

describe("parseRepositoryLocation", () => {
  it("takes an absolute path as a path, as before", () => {
    expect(parseRepositoryLocation("/srv/repos/app")).toEqual({
      ok: true,
      location: { kind: "path", path: "/srv/repos/app" },
    });
    // `..` in a path is the workspace roots' business (they normalise it), not a URL trick.
    expect(parseRepositoryLocation("/srv/repos/../app")).toEqual({
      ok: true,
      location: { kind: "path", path: "/srv/repos/../app" },
    });
    expect(parseRepositoryLocation("/srv/my repos/app")).toEqual({
      ok: true,
      location: { kind: "path", path: "/srv/my repos/app" },
    });
  });

  it.each([
    [
      "file:///srv/repos/app.git",
      {
        scheme: "file",
        user: null,
        host: "",
        port: null,
        path: "/srv/repos/app.git",
        normalized: "file:///srv/repos/app.git",
      },
    ],
    [
      "git://127.0.0.1:9418/repo.git",
      { scheme: "git", host: "127.0.0.1", port: null, path: "/repo.git", normalized: "git://127.0.0.1/repo.git" },
    ],
    ["git://127.0.0.1:4567/repo.git", { port: 4567, normalized: "git://127.0.0.1:4567/repo.git" }],
    [
      "https://GitHub.COM/Acme/App.git",
      { scheme: "https", host: "github.com", path: "/Acme/App.git", normalized: "https://github.com/Acme/App.git" },
    ],
    [
      "HTTPS://github.com:443/acme/app",
      { url: "https://github.com:443/acme/app", normalized: "https://github.com/acme/app" },
    ],
    ["http://git.internal:80/a/b", { scheme: "http", port: null, normalized: "http://git.internal/a/b" }],
    ["http://git.internal:8080/a/b", { port: 8080, normalized: "http://git.internal:8080/a/b" }],
    [
      "ssh://git@Host.Example:22/srv/app.git",
      {
        scheme: "ssh",
        user: "git",
        host: "host.example",
        port: null,
        normalized: "ssh://git@host.example/srv/app.git",
      },
    ],
    [
      "ssh://host.example:2222/~/app.git",
      { user: null, port: 2222, path: "/~/app.git", normalized: "ssh://host.example:2222/~/app.git" },
    ],
    ["ssh://[::1]/srv/app.git", { host: "[::1]", normalized: "ssh://[::1]/srv/app.git" }],
    ["https://host/a%20b/repo", { path: "/a b/repo", normalized: "https://host/a b/repo" }],
    ["https://host/org/repo/", { path: "/org/repo/" }],
  ])("accepts %s", (value, expected) => {
    expect(url(value)).toMatchObject(expected);
  });

  it.each([
    [
      "git@github.com:acme/app.git",
      {
        url: "git@github.com:acme/app.git",
        scheme: "ssh",
        user: "git",
        host: "github.com",
        path: "/~/acme/app.git",
        normalized: "ssh://git@github.com/~/acme/app.git",
      },
    ],
    ["GitHub.com:acme/app.git", { user: null, host: "github.com", normalized: "ssh://github.com/~/acme/app.git" }],
    ["git@host:/srv/app.git", { path: "/srv/app.git", normalized: "ssh://git@host/srv/app.git" }],
    ["git@host:~bob/app.git", { path: "/~bob/app.git", normalized: "ssh://git@host/~bob/app.git" }],
  ])("reads the scp-like %s in its ssh:// form", (value, expected) => {
    expect(url(value)).toMatchObject(expected);
  });

  it("gives one normalised form to the spellings of one repository, and keeps the others apart", () => {
    expect(url("git@host:srv/app.git").normalized).toBe(url("ssh://git@host/~/srv/app.git").normalized);
    expect(url("git@host:/srv/app.git").normalized).toBe(url("ssh://git@HOST:22/srv/app.git").normalized);
    // Home-relative and absolute are two places on the server.
    expect(url("git@host:srv/app.git").normalized).not.toBe(url("ssh://git@host/srv/app.git").normalized);
    expect(url("http://host/a").normalized).not.toBe(url("https://host/a").normalized);
  });

  it.each([
    ["", "git URL"],
    ["relative/path", "git URL"],
    ["./repo", "git URL"],
    ["-uhost:path", "'-'"],
    ["ext::sh -c touch", "spaces"],
    ["ext::ssh-evil", "remote helpers"],
    ["fd::17", "remote helpers"],
    ["ftp://host/repo.git", "ftp"],
    ["https://user:pw@github.com/acme/app.git", "password"],
    ["https://ghp_token@github.com/acme/app.git", "user name or token"],
    ["http://x-access-token@host/repo", "user name or token"],
    ["git://user@127.0.0.1/repo.git", "user name or token"],
    ["ssh://git:secret@host/repo.git", "password"],
    ["ssh://a@b@host/repo.git", "more than one @"],
    ["user:secret@host:repo.git", "password"],
    ["ssh://us%65r@host/repo.git", "SSH user name"],
    ["https://host/repo.git?access_token=abc", "query strings"],
    ["https://host/repo.git#frag", "fragments"],
    ["https://host/org/../other/repo", ". or .."],
    ["https://host/org/%2e%2e/other/repo", ". or .."],
    ["https://host/org/%2E%2E/other/repo", ". or .."],
    ["https://host/org/./repo", ". or .."],
    ["https://host/org%2f..%2fother/repo", "encode /"],
    ["https://host/org%5crepo", "encode /"],
    ["https://host/org//repo", "empty path segments"],
    ["https://host/a%00b", "control"],
    ["https://host/a%zz", "malformed percent"],
    ["git@host:srv/../etc", ". or .."],
    ["git@host:a%2e%2e", "percent"],
    ["https://host", "needs a path"],
    ["https:///repo", "host"],
    ["https://-oProxyCommand=x/repo", "host"],
    ["ssh://-oProxyCommand=x/repo", "host"],
    ["https://exämple.com/repo", "host"],
    ["https://host:99999/repo", "port"],
    ["https://host:0/repo", "port"],
    ["file://relative/path", "local absolute path"],
    ["file://host/srv/repo", "local absolute path"],
    ["file://", "local absolute path"],
    ["file:///srv/a%20b", "percent"],
    ["file:///srv/../etc", ". or .."],
    ["https://host/a\\b", "backslashes"],
    ["/srv/repo\u0000x", "NUL"],
    ["host:", "needs a path"],
    ["user@:repo", "host"],
  ])("refuses %j (%s)", (value, words) => {
    const r = parseRepositoryLocation(value);
    expect(r.ok, JSON.stringify(r)).toBe(false);
    if (!r.ok) expect(r.reason).toContain(words);
  });

  it("refuses what is longer than 4096 characters", () => {
    expect(parseRepositoryLocation(`https://host/${"a".repeat(4100)}`).ok).toBe(false);
  });

  it("tells a URL from a path by its first character", () => {
    expect(isRepositoryUrl("/srv/app")).toBe(false);
    expect(isRepositoryUrl("file:///srv/app")).toBe(true);
    expect(isRepositoryUrl("git@host:app")).toBe(true);
  });
});

describe("parseRepositoryPrefix", () => {
  it("accepts network URLs naming at least a host", () => {
    expect(parseRepositoryPrefix("https://github.com")).toMatchObject({
      ok: true,
      prefix: { host: "github.com", path: "/" },
    });
    expect(parseRepositoryPrefix("https://github.com/acme/")).toMatchObject({ ok: true, prefix: { path: "/acme/" } });
    expect(parseRepositoryPrefix("git@github.com:acme/")).toMatchObject({
      ok: true,
      prefix: { normalized: "ssh://git@github.com/~/acme/" },
    });
    expect(parseRepositoryPrefix("git://127.0.0.1:9418")).toMatchObject({
      ok: true,
      prefix: { normalized: "git://127.0.0.1/" },
    });
  });

  it.each([
    ["/srv/repos", "workspace roots"],
    ["file:///srv/repos/", "workspace roots"],
    ["https://token@github.com/acme/", "token"],
    ["https://github.com/acme/../", ". or .."],
    ["nonsense", "git URL"],
  ])("refuses %j (%s)", (value, words) => {
    const r = parseRepositoryPrefix(value);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toContain(words);
  });
});

describe("isUnderRepositoryPrefix", () => {
  const under = (u: string, p: string) => {
    const prefix = parseRepositoryPrefix(p);
    if (!prefix.ok) throw new Error(prefix.reason);
    return isUnderRepositoryPrefix(url(u), prefix.prefix);
  };

  it.each([
    ["https://github.com/acme/app.git", "https://github.com/acme/"],
    ["https://github.com/acme/app.git", "https://github.com/acme"],
    ["https://github.com/acme/app.git", "https://github.com"],
    ["https://GITHUB.com/acme/app.git", "HTTPS://github.com/acme/"],
    ["https://github.com:443/acme/app.git", "https://github.com/acme/"],
    ["https://github.com/acme/app.git", "https://github.com/acme/app.git"],
    ["https://github.com/acme/app.git/", "https://github.com/acme/app.git"],
    ["git@github.com:acme/app.git", "git@github.com:acme/"],
    ["git@github.com:acme/app.git", "ssh://git@github.com/~/acme/"],
    ["ssh://git@github.com:22/srv/app.git", "git@github.com:/srv/"],
    ["git://127.0.0.1:9418/repo.git", "git://127.0.0.1/"],
  ])("%s is under %s", (u, p) => {
    expect(under(u, p)).toBe(true);
  });

  it.each([
    // A sibling whose name starts like the prefix's last segment.
    ["https://github.com/acme-tools/app.git", "https://github.com/acme"],
    ["https://github.com/acme/app.git.evil", "https://github.com/acme/app.git"],
    // Another scheme: no downgrade to http, no switch to ssh.
    ["http://github.com/acme/app.git", "https://github.com/acme/"],
    ["git@github.com:acme/app.git", "https://github.com/acme/"],
    // Another host, however it is spelled.
    ["https://github.com.evil.example/acme/app.git", "https://github.com/"],
    ["https://evil.example/github.com/acme/app.git", "https://github.com/"],
    ["ssh://github.com@evil.example/acme/app.git", "ssh://github.com/acme/"],
    // Another port or user.
    ["https://github.com:8443/acme/app.git", "https://github.com/acme/"],
    ["git://127.0.0.1:4567/repo.git", "git://127.0.0.1/"],
    ["ssh://root@host/srv/app.git", "ssh://git@host/srv/"],
    ["ssh://host/srv/app.git", "ssh://git@host/srv/"],
    // Home-relative is not the absolute folder of the same name.
    ["git@host:srv/app.git", "ssh://git@host/srv/"],
    // Case matters in paths.
    ["https://github.com/ACME/app.git", "https://github.com/acme/"],
  ])("%s is not under %s", (u, p) => {
    expect(under(u, p)).toBe(false);
  });
});

describe("computeRepositoryAdmission", () => {
  const loc = (value: string) => {
    const r = parseRepositoryLocation(value);
    if (!r.ok) throw new Error(r.reason);
    return r.location;
  };

  it("leaves paths and file:// URLs to the workspace roots, whatever the prefixes", () => {
    expect(computeRepositoryAdmission(loc("/srv/app"), [])).toEqual({ kind: "workspace-roots", path: "/srv/app" });
    expect(computeRepositoryAdmission(loc("file:///srv/app.git"), ["https://github.com/"])).toEqual({
      kind: "workspace-roots",
      path: "/srv/app.git",
    });
  });

  it("admits any network URL when the tenant's list is null", () => {
    expect(computeRepositoryAdmission(loc("https://anywhere.example/x/y.git"), null)).toEqual({
      kind: "admitted",
      prefix: null,
    });
  });

  it("admits a URL under one of the prefixes and names it", () => {
    expect(
      computeRepositoryAdmission(loc("git@github.com:acme/app.git"), [
        "https://github.com/acme/",
        "git@github.com:acme/",
      ]),
    ).toEqual({
      kind: "admitted",
      prefix: "git@github.com:acme/",
    });
  });

  it("refuses a URL under none of them, naming the allowed prefixes", () => {
    const r = computeRepositoryAdmission(loc("https://gitlab.com/acme/app.git"), ["https://github.com/acme/"]);
    expect(r).toEqual({
      kind: "refused",
      reason: "is not under this tenant's allowed repository prefixes (allowed: https://github.com/acme/)",
    });
  });

  it("refuses every network URL with an empty list, saying how to allow some", () => {
    const r = computeRepositoryAdmission(loc("git://127.0.0.1/repo.git"), []);
    expect(r.kind).toBe("refused");
    if (r.kind === "refused") expect(r.reason).toContain("allowedRepositoryPrefixes");
  });

  it("lets an entry that does not parse admit nothing", () => {
    expect(computeRepositoryAdmission(loc("https://github.com/acme/app.git"), ["not a url", "/srv"]).kind).toBe(
      "refused",
    );
  });
});

describe("computeMirrorName", () => {
  it("is a hash of the normalised URL: one mirror per repository, however spelled, and nothing of the URL", () => {
    const name = computeMirrorName(url("https://GitHub.com:443/acme/app.git"));
    expect(name).toMatch(/^[0-9a-f]{32}\.git$/);
    expect(computeMirrorName(url("https://github.com/acme/app.git"))).toBe(name);
    expect(computeMirrorName(url("https://github.com/acme/app"))).not.toBe(name);
    expect(computeMirrorName(url("git@host:srv/app.git"))).toBe(computeMirrorName(url("ssh://git@host/~/srv/app.git")));
  });
});

describe("computePushTarget", () => {
  it("pushes a URL repository's checkpoints to the repository itself unless the session asked for the work remote", () => {
    expect(computePushTarget({ repository: "git://127.0.0.1/repo.git" })).toEqual({
      kind: "origin",
      url: "git://127.0.0.1/repo.git",
    });
    expect(computePushTarget({ repository: "git://127.0.0.1/repo.git", pushTo: "origin" })).toEqual({
      kind: "origin",
      url: "git://127.0.0.1/repo.git",
    });
    expect(computePushTarget({ repository: "git://127.0.0.1/repo.git", pushTo: "work" })).toEqual({ kind: "work" });
  });

  it("keeps local paths, directories and scratch sessions on the work remote", () => {
    expect(computePushTarget({ repository: "/srv/app" })).toEqual({ kind: "work" });
    expect(computePushTarget({ repository: "/srv/app", pushTo: "origin" })).toEqual({ kind: "work" });
    expect(computePushTarget({ repository: null, pushTo: null })).toEqual({ kind: "work" });
  });
});
