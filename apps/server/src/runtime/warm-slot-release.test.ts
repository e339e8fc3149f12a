import { mkdtempSync, mkdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { systemClock } from "@industrial/core";
import type { CrossTenantDatabase } from "@industrial/db";
import { activeDirectories } from "@industrial/opencode";
import pino from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { createWarmSlots } from "./warm-slot-release";

// The first rule of a release, before any database or git: no attempt of this replica works in the slot.
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  activeDirectories.clear();
});
const untouchable = new Proxy({} as CrossTenantDatabase, {
  get: (_t, key) => {
    if (key === "then") return undefined;
    throw new Error(`the database was asked (${String(key)})`);
  },
});

describe("releasing a warm slot", () => {
  it("refuses while an attempt of this process works in the slot, without asking the database", async () => {
    const root = mkdtempSync(join(tmpdir(), "slot-release-"));
    dirs.push(root);
    const path = join(root, "0");
    mkdirSync(path);
    activeDirectories.set(path, 1);
    const slots = createWarmSlots(2, {
      db: untouchable,
      clock: systemClock,
      log: pino({ level: "silent" }),
      pendingPushes: () => [],
    })!;
    expect(await slots.release({ name: "aaaa0001", path, changedAt: new Date() })).toBe(false);
    expect(
      createWarmSlots(0, {
        db: untouchable,
        clock: systemClock,
        log: pino({ level: "silent" }),
        pendingPushes: () => [],
      }),
    ).toBeNull();
  });
});
