import { createHash } from "node:crypto";

export const CHECKPOINT_TRIGGERS = ["step", "pause", "manual", "before_retry", "final"] as const;
export type CheckpointTrigger = (typeof CHECKPOINT_TRIGGERS)[number];

/** The hashed body of a checkpoint: everything but the chain links. */
export interface CheckpointBody {
  sessionId: string;
  seq: number;
  attempt: number;
  trigger: CheckpointTrigger;
  openCodeMessageId: string | null;
  gitCommit: string | null;
  diffStat: { files: number; additions: number; deletions: number };
  tokens: TokenTotals;
  costUsd: number;
  createdAt: string;
}

export interface TokenTotals {
  input: number;
  output: number;
  reasoning: number;
  cacheRead: number;
  cacheWrite: number;
}

export interface ChainedCheckpoint extends CheckpointBody {
  previousHash: string | null;
  hash: string;
}

/** Where and when a checkpoint's commit was pushed to the work remote (the URL masked). */
export interface CheckpointPush {
  remote: string;
  at: string;
}

/** A checkpoint as stored: the chain link, and its push (null: not yet pushed). Not part of the hash. */
export interface StoredCheckpoint extends ChainedCheckpoint {
  pushed: CheckpointPush | null;
}

/** Zero hash standing in for the link before checkpoint 1. */
export const GENESIS_HASH = "0".repeat(64);

/**
 * JSON with object keys sorted at every depth, so that the same checkpoint
 * hashes the same wherever and whenever it is serialised.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
}

/** hash = sha256(previousHash ‖ canonical JSON of the body). */
export function computeCheckpointHash(previousHash: string | null, body: CheckpointBody): string {
  return createHash("sha256")
    .update(previousHash ?? GENESIS_HASH)
    .update(canonicalJson(body))
    .digest("hex");
}

export function chainCheckpoint(previous: ChainedCheckpoint | null, body: CheckpointBody): ChainedCheckpoint {
  const previousHash = previous?.hash ?? null;
  return { ...body, previousHash, hash: computeCheckpointHash(previousHash, body) };
}

export type ChainVerification =
  { intact: true; checked: number } | { intact: false; checked: number; brokenAt: number; reason: string };

/**
 * Exactly the hashed fields of a checkpoint: a record read back may carry more
 * (when its push was recorded, for one), which must not change its hash.
 */
export function checkpointBodyOf(cp: CheckpointBody): CheckpointBody {
  const { sessionId, seq, attempt, trigger, openCodeMessageId, gitCommit, diffStat, tokens, costUsd, createdAt } = cp;
  return { sessionId, seq, attempt, trigger, openCodeMessageId, gitCommit, diffStat, tokens, costUsd, createdAt };
}

/** Recomputes the chain in seq order and names the first broken link. */
export function verifyCheckpointChain(checkpoints: readonly ChainedCheckpoint[]): ChainVerification {
  let previous: ChainedCheckpoint | null = null;
  let checked = 0;
  for (const cp of checkpoints) {
    const { previousHash, hash } = cp;
    const body = checkpointBodyOf(cp);
    const expectedPrevious = previous?.hash ?? null;
    if (cp.seq !== (previous?.seq ?? 0) + 1)
      return {
        intact: false,
        checked,
        brokenAt: cp.seq,
        reason: `expected seq ${(previous?.seq ?? 0) + 1}, found ${cp.seq}`,
      };
    if (previousHash !== expectedPrevious)
      return {
        intact: false,
        checked,
        brokenAt: cp.seq,
        reason: "previousHash does not match the hash of the checkpoint before",
      };
    if (computeCheckpointHash(previousHash, body) !== hash)
      return { intact: false, checked, brokenAt: cp.seq, reason: "hash does not match the checkpoint's contents" };
    previous = cp;
    checked++;
  }
  return { intact: true, checked };
}
