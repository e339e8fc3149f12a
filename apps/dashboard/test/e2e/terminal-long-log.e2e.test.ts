import { appendLogEvents, appendLongLog } from "@industrial/server/testing";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { join } from "node:path";
import { loaded, screenshot, SCREENSHOT_DIR, useBrowserSuite } from "./browser";

/** Lines in the log before the page opens: twenty pages of the terminal's 1,000. */
const LONG = 20_000;

const log = (page: Page) => page.locator('[role="log"]');
const count = (page: Page) => page.locator('[data-slot="terminal"] .num').first();
/** The numbers of the generated lines drawn now (`line <seq>`), top to bottom. */
const drawnSeqs = async (page: Page) =>
  (await page.locator('[data-slot="term-text"]').allInnerTexts())
    .map((t) => /^line (\d+)$/.exec(t.trim())?.[1])
    .filter((n): n is string => n !== undefined)
    .map(Number);

/** The drawn line whose text is `text`. */
const lineOf = (page: Page, text: string) =>
  page.locator('[data-slot="term-line"]', {
    has: page.locator('[data-slot="term-text"]', { hasText: new RegExp(`^\\s*${text}$`) }),
  });

describe("the terminal of a long log", () => {
  const suite = useBrowserSuite();

  it("draws the tail first and goes live, then loads earlier pages as the reader scrolls up", async () => {
    const { t, w } = suite;
    const s = await t.api.call("createSession", {
      body: { title: "e2e long log", prompt: "a long log", start: false },
    });
    const last = await appendLongLog(t.orc, s.id, LONG);
    const { page } = w;
    await page.setViewportSize({ width: 1440, height: 900 });
    const t0 = Date.now();
    await page.goto(`${t.orc.url}/sessions/${s.id}`);
    await loaded(page);
    // The last line shows at once, with only the last page read: 1,000 lines, not 20,000.
    await page.locator('[data-slot="term-text"]', { hasText: `line ${last}` }).waitFor({ timeout: 10_000 });
    const firstRowsMs = Date.now() - t0;
    expect(await count(page).innerText()).toBe("1000 lines");
    expect(await page.locator('[data-slot="log-earlier"]').innerText()).toMatch(/earlier events/i);
    const bottom = await drawnSeqs(page);
    expect(bottom[bottom.length - 1]).toBe(last);
    await screenshot(page, "terminal-long-log-tail");

    // Live: events written through the log's real path reach the bottom over the WebSocket.
    await page.locator('[data-slot="stream"][data-state="open"]').waitFor();
    await appendLogEvents(t.orc, s.id, ["line live-1", "line live-2"]);
    await page.locator('[data-slot="term-text"]', { hasText: "line live-2" }).waitFor({ timeout: 10_000 });
    expect(await count(page).innerText()).toBe("1002 lines");

    // Scrolled to the top, the page before loads in front, and the line that was at the top stays in view.
    await log(page).evaluate((el) => (el.scrollTop = 0));
    await expect.poll(() => count(page).innerText(), { timeout: 10_000 }).toBe("2002 lines");
    await page.waitForTimeout(300);
    const after = await drawnSeqs(page);
    const firstOfTail = last - 999;
    expect(after).toContain(firstOfTail);
    expect(Math.min(...after)).toBeLessThan(firstOfTail);
    // In order, each once: no gap and no duplicate where the pages meet.
    for (let i = 1; i < after.length; i++) expect(after[i]).toBe(after[i - 1]! + 1);
    // Line numbers are the events' seqs: the page put in front did not move them (`line <seq>` is numbered <seq>).
    for (const seq of [firstOfTail, Math.min(...after)])
      expect(
        await lineOf(page, `line ${seq}`)
          .getByRole("button", { name: `Select line ${seq}`, exact: true })
          .count(),
      ).toBe(1);
    await screenshot(page, "terminal-long-log-earlier");

    // Search: the count of matches among the lines held, Enter and Shift+Enter go to the next and previous one.
    const prefix = String(last - 1000).slice(0, -1); // ten lines of the earlier page: `line 1900x`
    const search = page.getByRole("textbox", { name: "Search the log" });
    await search.fill(`line ${prefix}`);
    const matches = page.locator('[data-slot="match-count"]');
    await expect.poll(() => matches.innerText()).toBe("10 matches");
    await search.press("Enter");
    await expect.poll(() => matches.innerText()).toBe("1 / 10 matches");
    await search.press("Enter");
    await expect.poll(() => matches.innerText()).toBe("2 / 10 matches");
    await search.press("Shift+Enter");
    await search.press("Shift+Enter");
    await expect.poll(() => matches.innerText()).toBe("10 / 10 matches");
    await page.locator('[data-slot="term-line"][data-selected]', { hasText: `line ${prefix}9` }).waitFor();
    await page
      .locator('[data-slot="terminal"]')
      .screenshot({ path: join(SCREENSHOT_DIR, "terminal-long-log-search.png") });
    expect(w.errors).toEqual([]);
    expect(w.httpErrors).toEqual([]);
    console.log(`long log: ${LONG} lines, first rows ${firstRowsMs} ms after navigation`);
  });
});
