import { describe, expect, it } from "vitest";
import {
  checkpointRef,
  checkpointRefPrefix,
  computeLeaseArgument,
  computeRemoteVerification,
  decideLeaseRefusal,
  maskCredentialsInText,
  maskRemoteUrl,
  parseCheckpointRef,
  parseWorkRemote,
  sessionBranchRef,
} from "./work-remote";

describe("parseWorkRemote", () => {
  it.each([
    ["/srv/git/work.git", "path"],
    ["file:///srv/git/work.git", "file"],
    ["git://127.0.0.1:9418/work.git", "git"],
    ["http://git.example.com/work.git", "http"],
    ["https://user:token@git.example.com/org/work.git", "http"],
    ["ssh://git@git.example.com:2222/org/work.git", "ssh"],
    ["git@github.com:org/work.git", "scp"],
    ["host:work.git", "scp"],
  ])("accepts %s as %s", (value, kind) => {
    expect(parseWorkRemote(value)).toEqual({ ok: true, kind });
  });

  it.each([
    ["", "absolute path"],
    ["work.git", "git URL"],
    ["./work.git", "git URL"],
    ["ext::sh -c touch% /tmp/pwned", "spaces"],
    ["ext::ssh-evil", "remote helpers"],
    ["fd::17", "remote helpers"],
    ["-uhost:path", "'-'"],
    ["ftp://example.com/work.git", "ftp"],
    ["file://relative/path", "absolute path"],
    ["ssh://-oProxyCommand=x/path", "host"],
    ["https:///path", "host"],
    ["/srv/work.git\nx", "control"],
  ])("refuses %j (%s)", (value, words) => {
    const r = parseWorkRemote(value);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toContain(words);
  });
});

describe("maskRemoteUrl", () => {
  it.each([
    ["https://user:s3cret@git.example.com/org/r.git", "https://***:***@git.example.com/org/r.git"],
    ["https://ghp_tokenvalue@github.com/org/r.git", "https://***@github.com/org/r.git"],
    ["http://host/r.git?access_token=abc&x=1", "http://host/r.git?access_token=***&x=***"],
    ["ssh://git:pw@host/r.git", "ssh://git:***@host/r.git"],
    ["ssh://git@host:2222/r.git", "ssh://git@host:2222/r.git"],
    ["git://127.0.0.1:9418/r.git", "git://127.0.0.1:9418/r.git"],
    ["git@github.com:org/r.git", "git@github.com:org/r.git"],
    ["/srv/work.git", "/srv/work.git"],
    ["file:///srv/work.git", "file:///srv/work.git"],
  ])("%s → %s", (url, masked) => {
    expect(maskRemoteUrl(url)).toBe(masked);
  });

  it("masks every URL in a text, and leaves the rest", () => {
    const text =
      "fatal: unable to access 'https://bot:tok3n@git.example.com/r.git/': Could not resolve host; see http://a:b@c/d";
    const masked = maskCredentialsInText(text);
    expect(masked).not.toContain("tok3n");
    expect(masked).not.toContain("a:b@");
    expect(masked).toContain("'https://***:***@git.example.com/r.git/'");
    expect(masked).toContain("Could not resolve host");
    expect(maskCredentialsInText("no url here")).toBe("no url here");
  });
});

describe("refs", () => {
  it("names the session branch and the checkpoint refs", () => {
    expect(sessionBranchRef("ab12cd34")).toBe("refs/heads/orchestrator/ab12cd34");
    expect(checkpointRef("ab12cd34", 7)).toBe("refs/orchestrator/checkpoints/ab12cd34/7");
    expect(checkpointRefPrefix("ab12cd34")).toBe("refs/orchestrator/checkpoints/ab12cd34/");
  });

  it("reads a seq back only from the session's own checkpoint refs", () => {
    expect(parseCheckpointRef("refs/orchestrator/checkpoints/ab12cd34/7", "ab12cd34")).toBe(7);
    expect(parseCheckpointRef("refs/orchestrator/checkpoints/ab12cd34/12", "ab12cd34")).toBe(12);
    expect(parseCheckpointRef("refs/orchestrator/checkpoints/ab12cd3/7", "ab12cd34")).toBeNull();
    expect(parseCheckpointRef("refs/orchestrator/checkpoints/ab12cd345/7", "ab12cd34")).toBeNull();
    expect(parseCheckpointRef("refs/orchestrator/checkpoints/ab12cd34/07", "ab12cd34")).toBeNull();
    expect(parseCheckpointRef("refs/orchestrator/checkpoints/ab12cd34/0", "ab12cd34")).toBeNull();
    expect(parseCheckpointRef("refs/orchestrator/checkpoints/ab12cd34/x", "ab12cd34")).toBeNull();
    expect(parseCheckpointRef("refs/heads/orchestrator/ab12cd34", "ab12cd34")).toBeNull();
  });

  it("writes the lease argument, and its must-not-exist form", () => {
    expect(computeLeaseArgument("refs/heads/orchestrator/x", "abc123")).toBe(
      "--force-with-lease=refs/heads/orchestrator/x:abc123",
    );
    expect(computeLeaseArgument("refs/heads/orchestrator/x", null)).toBe(
      "--force-with-lease=refs/heads/orchestrator/x:",
    );
  });
});

describe("decideLeaseRefusal", () => {
  const trusted = ["c1", "c2"];
  it("retries when the remote holds what was expected (a race) or nothing", () => {
    expect(decideLeaseRefusal({ remoteHead: "c2", expected: "c2", trusted })).toEqual({
      kind: "retry",
      expected: "c2",
    });
    expect(decideLeaseRefusal({ remoteHead: null, expected: "c2", trusted })).toEqual({
      kind: "retry",
      expected: null,
    });
    expect(decideLeaseRefusal({ remoteHead: null, expected: null, trusted: [] })).toEqual({
      kind: "retry",
      expected: null,
    });
  });

  it("retries on a commit recorded before this writer began (an earlier holder's late push)", () => {
    expect(decideLeaseRefusal({ remoteHead: "c1", expected: "c2", trusted })).toEqual({
      kind: "retry",
      expected: "c1",
    });
    expect(decideLeaseRefusal({ remoteHead: "c2", expected: null, trusted: new Set(trusted) })).toEqual({
      kind: "retry",
      expected: "c2",
    });
  });

  it("is a lost lease when the remote holds a commit this writer never saw", () => {
    const d = decideLeaseRefusal({ remoteHead: "newer-holders-commit", expected: "c2", trusted });
    expect(d.kind).toBe("lost");
    if (d.kind === "lost") expect(d.reason).toContain("another holder moved it");
    expect(decideLeaseRefusal({ remoteHead: "x", expected: null, trusted: [] }).kind).toBe("lost");
  });
});

describe("computeRemoteVerification", () => {
  it("sorts checkpoints into pushed, not yet pushed and missing", () => {
    const checkpoints = [
      { seq: 1, gitCommit: "a", pushedAt: "2026-01-01T00:00:00.000Z" },
      { seq: 2, gitCommit: "b", pushedAt: null }, // on the remote, recording lags: pushed
      { seq: 3, gitCommit: "c", pushedAt: null }, // not yet pushed
      { seq: 4, gitCommit: "d", pushedAt: "2026-01-01T00:00:00.000Z" }, // recorded, gone: missing
      { seq: 5, gitCommit: "e", pushedAt: null }, // the ref holds another commit: missing
      { seq: 6, gitCommit: null, pushedAt: null }, // nothing to push
    ];
    const remote = new Map([
      [1, "a"],
      [2, "b"],
      [5, "other"],
      [9, "z"],
    ]);
    expect(computeRemoteVerification(checkpoints, remote)).toEqual({ pushed: 2, notYetPushed: [3], missing: [4, 5] });
    expect(computeRemoteVerification([], new Map())).toEqual({ pushed: 0, notYetPushed: [], missing: [] });
  });
});
