import { createHash, randomBytes, randomInt } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readdir, readFile, realpath, rename, stat, writeFile } from "node:fs/promises";
import { join, resolve, sep } from "node:path";
import { withPathLock } from "./path-lock";
import type { SessionFolder } from "./types";

/*
 * Warm slots (docs/warm-slots.md): a bounded set of folders per repository
 * whose paths are reused from one session to the next, so that the OpenCode
 * instance a runner keeps for a path is already built when the next session
 * of that repository starts there. What a slot holds is always one session's
 * own clone, made new for it; who owns it is written next to it
 * (`<n>.owner`), outside the folder the sandbox shows the agent.
 */

/** Slots live under `<worktreesDir>/slots/<key>/<n>`. */
const SLOTS_DIR = "slots";
const OWNER_SUFFIX = ".owner";

export interface WarmSlots {
  /** Slots per repository (and tenant, on this replica); 0 turns them off. */
  size: number;
  /**
   * Lets go of a slot its owner no longer needs (the server's rule, core's
   * decideSlotRelease): a folder of a session that can never run again,
   * everything pushed, is moved out of the way under the owner's row lock,
   * as retention removes a folder; a slot whose folder is gone (retention
   * took it, or it was never made) is free unless its owner is running —
   * then it may be making it right now.
   * @returns whether the slot is free now.
   */
  release(folder: SessionFolder): Promise<boolean>;
}

/** The folder of one repository's slots: the tenant and the repository (its path or URL) make the key. */
export function slotsFolder(worktreesDir: string, tenantId: string, source: string): string {
  const key = createHash("sha256").update(`${tenantId}\0${source}`).digest("hex").slice(0, 16);
  return join(worktreesDir, SLOTS_DIR, key);
}

/** The short id of the session that owns the slot at `path`, or null (a slot never used, or not a slot). */
export async function readSlotOwner(path: string): Promise<string | null> {
  const text = await readFile(`${path}${OWNER_SUFFIX}`, "utf8").catch(() => null);
  const owner = text?.trim() ?? "";
  return owner === "" ? null : owner;
}

/** Whether `path` is (or is inside) a slot of `worktreesDir`. */
export async function isSlotPath(path: string, worktreesDir: string): Promise<boolean> {
  const root = await realpath(join(worktreesDir, SLOTS_DIR)).catch(() => resolve(worktreesDir, SLOTS_DIR));
  const real = await realpath(path).catch(() => resolve(path));
  return real.startsWith(root + sep);
}

/**
 * The slot (its path) the session works in: one it owns already (a retry,
 * a re-attach), else the first one that is free or that its owner's session
 * lets go, now owned by this session; null when every slot is taken (the
 * session then gets a folder of its own). The owner file is written before
 * the folder is made, under the slot's claim lock: two sessions never get one
 * slot, and a crash leaves a slot its new owner finds again.
 */
export async function claimSlot(folder: string, shortId: string, slots: WarmSlots): Promise<string | null> {
  if (slots.size <= 0) return null;
  await mkdir(folder, { recursive: true });
  const paths = Array.from({ length: slots.size }, (_, n) => join(folder, String(n)));
  const owners = await Promise.all(paths.map(readSlotOwner));
  const own = paths.find((_, n) => owners[n] === shortId);
  if (own) return own;
  // Slots used before first (their instance is warm), each group from a random slot on, passing over those
  // another session of this process is claiming: many sessions starting at once would otherwise queue on
  // slot 0's lock, then slot 1's…
  const start = randomInt(paths.length);
  const rotated = paths.map((_, i) => (start + i) % paths.length);
  const order = [...rotated.filter((n) => owners[n] !== null), ...rotated.filter((n) => owners[n] === null)].map(
    (n) => paths[n]!,
  );
  for (const path of order) {
    if (claiming.has(path)) continue;
    claiming.add(path);
    const claimed = await tryClaim(path, shortId, slots).finally(() => claiming.delete(path));
    if (claimed) return path;
  }
  return null;
}

/** Slots a session of this process is claiming right now. */
const claiming = new Set<string>();

async function tryClaim(path: string, shortId: string, slots: WarmSlots): Promise<boolean> {
  return withPathLock(`${path}${OWNER_SUFFIX}`, async () => {
    const owner = await readSlotOwner(path);
    if (owner === shortId) return true;
    // A folder no owner file names (written by hand, or a lost owner file): not ours to replace.
    if (owner === null && existsSync(path)) return false;
    if (owner !== null) {
      const info = await stat(path).catch(() => null);
      // A release that fails (the database, git) leaves the slot to its owner: the session tries the next one.
      const released = await slots
        .release({ name: owner, path, changedAt: info?.mtime ?? new Date(0) })
        .catch(() => false);
      if (!released) return false;
    }
    // Written whole or not at all: a half-written owner file would read as a free slot.
    const temp = `${path}${OWNER_SUFFIX}.${randomBytes(4).toString("hex")}`;
    await writeFile(temp, `${shortId}\n`);
    await rename(temp, `${path}${OWNER_SUFFIX}`);
    return true;
  });
}

/**
 * Every slot folder under `worktreesDir` with the session that owns it, as
 * session folders (retention removes a finished owner's like any other).
 */
export async function listSlotFolders(worktreesDir: string): Promise<SessionFolder[]> {
  const out: SessionFolder[] = [];
  for (const folder of await slotKeyFolders(worktreesDir)) {
    for (const e of await readdir(folder, { withFileTypes: true }).catch(() => [])) {
      if (!e.isDirectory() || !/^\d+$/.test(e.name)) continue;
      const path = join(folder, e.name);
      const [owner, info] = await Promise.all([readSlotOwner(path), stat(path).catch(() => null)]);
      if (owner !== null && info !== null) out.push({ name: owner, path, changedAt: info.mtime });
    }
  }
  return out;
}

/** The folders of each repository's slots under `worktreesDir`. */
export async function slotKeyFolders(worktreesDir: string): Promise<string[]> {
  const root = join(worktreesDir, SLOTS_DIR);
  const entries = await readdir(root, { withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isDirectory()).map((e) => join(root, e.name));
}
