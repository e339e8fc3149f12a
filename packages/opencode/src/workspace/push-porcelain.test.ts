import { describe, expect, it } from "vitest";
import { parsePushPorcelain } from "./push-porcelain";

// Output captured from git 2.39 pushing to a bare repository.
describe("parsePushPorcelain", () => {
  it("reads created, up-to-date, fast-forwarded and forced refs", () => {
    const out = [
      "To /srv/work.git",
      "*\td7740ded:refs/heads/orchestrator/ab12cd34\t[new branch]",
      "*\td7740ded:refs/orchestrator/checkpoints/ab12cd34/1\t[new reference]",
      "=\td7740ded:refs/orchestrator/checkpoints/ab12cd34/2\t[up to date]",
      " \t679cfc4b:refs/heads/orchestrator/other\td7740de..679cfc4",
      "+\td7740ded:refs/heads/orchestrator/back\t679cfc4...d7740de (forced update)",
      "Done",
    ].join("\n");
    expect(parsePushPorcelain(out).map((r) => [r.ref, r.status])).toEqual([
      ["refs/heads/orchestrator/ab12cd34", "ok"],
      ["refs/orchestrator/checkpoints/ab12cd34/1", "ok"],
      ["refs/orchestrator/checkpoints/ab12cd34/2", "up-to-date"],
      ["refs/heads/orchestrator/other", "ok"],
      ["refs/heads/orchestrator/back", "ok"],
    ]);
  });

  it("tells a refused lease from a rewind and from the remote's own refusal", () => {
    const out = [
      "To git://127.0.0.1:9418/work.git",
      "*\t2f8a2c7c:refs/orchestrator/checkpoints/ab12cd34/3\t[new reference]",
      "!\t2f8a2c7c:refs/heads/orchestrator/ab12cd34\t[rejected] (stale info)",
      "!\t2f8a2c7c:refs/heads/orchestrator/tree-1\t[rejected] (non-fast-forward)",
      "!\t2f8a2c7c:refs/heads/orchestrator/tree-2\t[rejected] (fetch first)",
      "!\t2f8a2c7c:refs/heads/orchestrator/x\t[remote rejected] (pre-receive hook declined)",
      "Done",
    ].join("\n");
    expect(parsePushPorcelain(out).map((r) => r.status)).toEqual([
      "ok",
      "stale",
      "non-fast-forward",
      "non-fast-forward",
      "rejected",
    ]);
    expect(parsePushPorcelain(out)[4]!.summary).toBe("[remote rejected] (pre-receive hook declined)");
  });

  it("finds no ref when the push never reached the remote", () => {
    expect(parsePushPorcelain("")).toEqual([]);
    expect(parsePushPorcelain("fatal: unable to connect to 127.0.0.1:\n")).toEqual([]);
  });
});
