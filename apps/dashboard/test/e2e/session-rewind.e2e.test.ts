import { allEvents, scripted, waitForStatus } from "@industrial/server/testing";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { closePage, openPage, screenshot, seriousA11yViolations, useBrowserSuite } from "./browser";

// A TypeScript file with one line far wider than a phone, a binary file (a NUL byte makes git call it binary)
// and a file over the diff's 400-line fold (lib/session-diff.ts LARGE_FILE_LINES).
const LONG = `export const banner = "${"x".repeat(300)}";`;
const BIG = Array.from({ length: 450 }, (_, i) => `line ${i + 1}`).join("\n") + "\n";
const STEP_ONE = {
  tools: [
    {
      tool: "write",
      input: {
        filePath: "one.ts",
        content: `export function add(a: number, b: number): number {\n  return a + b;\n}\n${LONG}\n`,
      },
    },
    { tool: "write", input: { filePath: "blob.bin", content: "\u0000\u0001\u0002binary" } },
    { tool: "write", input: { filePath: "big.txt", content: BIG } },
  ],
};
const STEP_TWO = { tool: "write", input: { filePath: "two.txt", content: "2\n" } };

const diffFiles = (page: Page) => page.locator('[data-slot="diff-file"]');

describe("the session's diff, restore and retry in a real browser", () => {
  const suite = useBrowserSuite();

  it("(12) the diff: highlighted, unified/split, binary named, long lines scroll inside at 390 px; restore #1 says what goes, then the worktree is back at #1", async () => {
    const { t, w, browser, admin } = suite;
    const s = await t.api.call("createSession", {
      body: {
        title: "e2e restore",
        prompt: scripted("two steps, then wait", [STEP_ONE, STEP_TWO, { sleep_ms: 120_000 }, { text: "done" }]),
      },
    });
    await waitForStatus(t.api, s.id, ["running"], 120_000);
    await expect
      .poll(async () => (await t.api.call("listCheckpoints", { params: { id: s.id } })).items.length, {
        timeout: 120_000,
      })
      .toBeGreaterThanOrEqual(2);
    await t.api.call("pauseSession", { params: { id: s.id } });
    await waitForStatus(t.api, s.id, ["paused"], 30_000);
    const { items } = await t.api.call("listCheckpoints", { params: { id: s.id } });
    const first = items[0]!;
    expect(first.diffStat.files).toBe(3);

    const { page } = w;
    await page.goto(`${t.orc.url}/sessions/${s.id}`);
    const ts = diffFiles(page).filter({ hasText: "one.ts" });
    await ts.locator(".diff").waitFor({ timeout: 30_000 });
    // Highlighted by refractor (Prism token classes), with the edit's lines in insert cells.
    expect(await ts.locator(".token.keyword").count()).toBeGreaterThan(0);
    await ts.locator(".diff-code-insert", { hasText: "return a + b;" }).waitFor();
    const bin = diffFiles(page).filter({ hasText: "blob.bin" });
    expect(await bin.getAttribute("data-binary")).toBe("true");
    expect(await bin.innerText()).toContain("Binary file added");
    await diffFiles(page).filter({ hasText: "two.txt" }).locator(".diff").waitFor();
    // The large file starts folded and opens on request.
    const big = diffFiles(page).filter({ hasText: "big.txt" });
    expect(await big.locator(".diff").count()).toBe(0);
    expect(await big.innerText()).toContain("Large change (450 lines): folded.");
    await big.getByRole("button", { name: "Show 450 lines" }).click();
    await big.locator(".diff-code-insert", { hasText: "line 450" }).waitFor();
    await page.getByRole("group", { name: "Diff layout" }).getByRole("button", { name: "Split" }).click();
    await ts.locator("table.diff-split").waitFor();
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, "session-diff-split-1440");

    // At 390 px the page keeps its width; the long line scrolls inside its file's box.
    const phone = await openPage(browser, { width: 390, height: 844 }, admin);
    try {
      await phone.page.goto(`${t.orc.url}/sessions/${s.id}`);
      const box = diffFiles(phone.page).filter({ hasText: "one.ts" }).locator(".diff-scroll");
      await box.waitFor({ timeout: 30_000 });
      const widths = (await phone.page.evaluate(
        `(() => { const b = document.querySelector('[data-path="one.ts"] .diff-scroll'); return { page: document.documentElement.scrollWidth, inner: b.scrollWidth, outer: b.clientWidth }; })()`,
      )) as { page: number; inner: number; outer: number };
      expect(widths.page).toBeLessThanOrEqual(390);
      expect(widths.inner).toBeGreaterThan(widths.outer);
      await box.scrollIntoViewIfNeeded();
      await screenshot(phone.page, "session-diff-390");
      expect(phone.errors).toEqual([]);
    } finally {
      await closePage(phone);
    }

    // Restore #1: the dialog says what goes before anything is sent.
    await page.getByRole("button", { name: "Restore checkpoint #1", exact: true }).click();
    const dialog = page.locator("dialog[open]");
    await dialog.locator('[data-slot="discard-worktree"]', { hasText: "4 files" }).waitFor();
    expect(await dialog.locator('[data-slot="discard-worktree"]').innerText()).toMatch(
      /4 files .* now, and in 3 files .* after/,
    );
    expect(await dialog.locator('[data-slot="discard-later"]').innerText()).toContain("#2");
    expect(await dialog.innerText()).toContain("The session stays paused");
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, "session-restore-dialog");
    await dialog.getByRole("button", { name: "Restore", exact: true }).click();
    await page.getByText("Restored to checkpoint #1", { exact: true }).waitFor();
    // The worktree is back at #1: two.txt leaves the diff, the rest stays; the session stays paused.
    await expect.poll(() => diffFiles(page).filter({ hasText: "two.txt" }).count(), { timeout: 30_000 }).toBe(0);
    expect(await diffFiles(page).filter({ hasText: "one.ts" }).count()).toBe(1);
    expect(await page.locator('[data-slot="status-badge"][data-status="paused"]').count()).toBeGreaterThan(0);
    const events = await allEvents(t.api, s.id);
    expect(events.some((e) => e.type === "session.restored" && e.payload.seq === 1)).toBe(true);
    await screenshot(page, "session-restored");

    expect(w.errors).toEqual([]);
    expect(w.httpErrors).toEqual([]);
    await t.api.call("cancelSession", { params: { id: s.id } });
  });

  it("(13) retry from a chosen checkpoint: the dialog offers latest, a checkpoint and fresh, says what goes and sends fromCheckpoint", async () => {
    const { t, w } = suite;
    const fail = { error: { status: 400, message: "invalid_request_error: scripted failure" } };
    const s = await t.api.call("createSession", {
      body: {
        title: "e2e retry",
        prompt: scripted("two steps, then fail", [STEP_ONE, STEP_TWO, fail]),
        retry: { maxAttempts: 1 },
      },
    });
    await waitForStatus(t.api, s.id, ["failed"], 150_000);
    const { items } = await t.api.call("listCheckpoints", { params: { id: s.id } });
    expect(items.length).toBeGreaterThanOrEqual(2);

    const { page } = w;
    const sent: unknown[] = [];
    page.on("request", (r) => {
      if (r.method() === "POST" && r.url().endsWith(`/api/v1/sessions/${s.id}/retry`)) sent.push(r.postDataJSON());
    });
    await page.goto(`${t.orc.url}/sessions/${s.id}`);
    await page.locator('[data-slot="checkpoint"]').first().waitFor({ timeout: 30_000 });
    await page.getByRole("button", { name: "Retry", exact: true }).click();
    const dialog = page.locator("dialog[open]");
    expect(await dialog.getByLabel("Where it stopped").isChecked()).toBe(true);
    expect(await dialog.locator('[data-slot="discard-nothing"]').count()).toBe(1);
    await dialog.getByLabel("Fresh").check();
    await dialog.locator('[data-slot="discard-later"]', { hasText: "#1" }).waitFor();
    await dialog.getByLabel("A chosen checkpoint").check();
    await dialog.getByLabel("Checkpoint", { exact: true }).selectOption("1");
    await dialog.locator('[data-slot="discard-later"]', { hasText: "#2" }).waitFor();
    expect(await dialog.locator('[data-slot="discard-worktree"]').innerText()).toContain("since checkpoint #1");
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, "session-retry-dialog");
    await dialog.getByRole("button", { name: "Retry", exact: true }).click();
    await page
      .locator('[data-slot="term-line"]', { hasText: "retry requested from checkpoint 1" })
      .first()
      .waitFor({ timeout: 30_000 });
    expect(sent).toEqual([{ fromCheckpoint: 1 }]);
    await page.getByText("2 / 1", { exact: true }).waitFor({ timeout: 60_000 });
    await screenshot(page, "session-retried-from-checkpoint");

    expect(w.errors).toEqual([]);
    expect(w.httpErrors).toEqual([]);
    await t.api.call("cancelSession", { params: { id: s.id } }).catch(() => undefined);
  });
});
