import { describe, expect, it } from "vitest";
import {
  canonicalJson,
  chainCheckpoint,
  verifyCheckpointChain,
  type ChainedCheckpoint,
  type CheckpointBody,
} from "./checkpoint-chain";
import { emptyTokenTotals } from "./session";

const body = (seq: number): CheckpointBody => ({
  sessionId: "00000000-0000-4000-8000-000000000001",
  seq,
  attempt: 1,
  trigger: "step",
  openCodeMessageId: `msg_${seq}`,
  gitCommit: `c${seq}`,
  diffStat: { files: seq, additions: seq * 2, deletions: 0 },
  tokens: { ...emptyTokenTotals(), input: 100 * seq },
  costUsd: 0.001 * seq,
  createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, seq)).toISOString(),
});

function chain(n: number): ChainedCheckpoint[] {
  const out: ChainedCheckpoint[] = [];
  for (let i = 1; i <= n; i++) out.push(chainCheckpoint(out.at(-1) ?? null, body(i)));
  return out;
}

describe("checkpoint chain", () => {
  it("canonical JSON sorts keys at every depth and drops undefined", () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: undefined } })).toBe(
      '{"a":{"d":[1,{"y":2,"z":1}]},"b":1}',
    );
  });

  it("links each hash to the one before", () => {
    const c = chain(3);
    expect(c[0]!.previousHash).toBeNull();
    expect(c[1]!.previousHash).toBe(c[0]!.hash);
    expect(c[2]!.previousHash).toBe(c[1]!.hash);
    expect(new Set(c.map((x) => x.hash)).size).toBe(3);
    expect(c[0]!.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it("verifies an intact chain", () => {
    expect(verifyCheckpointChain(chain(5))).toEqual({ intact: true, checked: 5 });
    expect(verifyCheckpointChain([])).toEqual({ intact: true, checked: 0 });
  });

  it("hashes only the body: fields a stored record adds (its push) leave the chain intact", () => {
    const pushed = chain(3).map((cp) => ({
      ...cp,
      pushed: { remote: "/srv/work.git", at: "2026-01-01T00:00:00.000Z" },
    }));
    expect(verifyCheckpointChain(pushed)).toEqual({ intact: true, checked: 3 });
  });

  it("names the first broken link when a body is tampered with", () => {
    const c = chain(4);
    c[2] = { ...c[2]!, costUsd: 99 };
    const v = verifyCheckpointChain(c);
    expect(v).toMatchObject({ intact: false, brokenAt: 3, checked: 2 });
  });

  it("detects a removed checkpoint and a relinked one", () => {
    const c = chain(4);
    expect(verifyCheckpointChain([c[0]!, c[2]!, c[3]!])).toMatchObject({ intact: false, brokenAt: 3 });
    const forged = { ...c[1]!, previousHash: "f".repeat(64) };
    expect(verifyCheckpointChain([c[0]!, forged])).toMatchObject({ intact: false, brokenAt: 2 });
  });
});
