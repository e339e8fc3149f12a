import { scripted, waitForStatus } from "@industrial/server/testing";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { join } from "node:path";
import { loaded, screenshot, SCREENSHOT_DIR, seriousA11yViolations, useBrowserSuite } from "./browser";

// Called inside the page (locator.evaluate); this Node project has no DOM types.
declare const getComputedStyle: (el: unknown) => { color: string; backgroundColor: string; fontWeight: string };

/** 400 numbered cells of 5 characters: a 2,000-character line whose every character can be checked. */
const LONG = Array.from({ length: 400 }, (_, i) => `${String(i + 1).padStart(4, "0")}-`).join("");
const TRACE = [
  "Traceback (most recent call last):",
  '  File "app/main.py", line 42, in <module>',
  "    run(config)",
  '  File "app/runner.py", line 7, in run',
  '    raise ValueError("the configuration names a model that no provider of this tenant serves: " + name + ", check allowedModels")',
  "ValueError: the configuration names a model that no provider serves",
];
const bash = (command: string, description: string) => ({ tool: "bash", input: { command, description } });
const STEPS = [
  // printf without a newline: the tool's whole output is the line (the event keeps 2,000 characters of a tool's output).
  bash(`printf '%s' "$(printf '%04d-' $(seq 1 400))"`, "print a 2000-character line"),
  bash(`printf '%s\\n' ${TRACE.map((l) => `'${l.replace(/'/g, `'"'"'`)}'`).join(" ")}`, "print a stack trace"),
  bash(
    `printf '\\033[31mred\\033[0m \\033[32mgreen\\033[0m \\033[1;33mbold yellow\\033[0m \\033[41m FAIL \\033[0m\\n'`,
    "print coloured output",
  ),
  bash("seq 1 40", "print forty numbers"),
  { text: "done" },
];

/** What a line's text shows and where its characters are drawn (the left of each drawn row's first one), beside the log's box and the page's width. */
interface LineGeometry {
  text: string;
  height: number;
  rowStarts: number[];
  first: { left: number; right: number };
  last: { left: number; right: number; top: number; bottom: number };
  log: { left: number; right: number; top: number; bottom: number; scrollWidth: number; clientWidth: number };
  pageWidth: number;
}

// Evaluated in the page as a string (this file is Node code, without DOM types; the CSP has no 'unsafe-eval' for waitForFunction).
const geometryOf = (needle: string) => `(() => {
  const text = [...document.querySelectorAll('[data-slot="term-text"]')].find((t) => t.textContent.trimStart().startsWith(${JSON.stringify(needle)}));
  if (!text) return null;
  const row = text.closest('[data-slot="term-line"]');
  const walker = document.createTreeWalker(text, NodeFilter.SHOW_TEXT);
  const nodes = []; while (walker.nextNode()) nodes.push(walker.currentNode);
  const rectOf = (node, i) => { const r = document.createRange(); r.setStart(node, i); r.setEnd(node, i + 1); return r.getBoundingClientRect(); };
  const first = rectOf(nodes[0], 0), lastNode = nodes[nodes.length - 1], last = rectOf(lastNode, lastNode.length - 1);
  const starts = new Map();
  for (const node of nodes) for (let i = 0; i < node.length; i++) {
    const r = rectOf(node, i), top = Math.round(r.top);
    if (!starts.has(top) || r.left < starts.get(top)) starts.set(top, r.left);
  }
  const rowStarts = [...starts.entries()].sort((a, b) => a[0] - b[0]).map((e) => e[1]);
  const log = document.querySelector('[role="log"]'), box = log.getBoundingClientRect();
  return {
    text: text.textContent, height: row.getBoundingClientRect().height, rowStarts,
    first: { left: first.left, right: first.right }, last: { left: last.left, right: last.right, top: last.top, bottom: last.bottom },
    log: { left: box.left, right: box.right, top: box.top, bottom: box.bottom, scrollWidth: log.scrollWidth, clientWidth: log.clientWidth },
    pageWidth: document.documentElement.scrollWidth,
  };
})()`;

const log = (page: Page) => page.locator('[role="log"]');

/** The page, and the terminal alone (what a reviewer looks at: the whole page of a phone is mostly other cards). */
async function shoot(page: Page, name: string): Promise<void> {
  await screenshot(page, name);
  await page.locator('[data-slot="terminal"]').screenshot({ path: join(SCREENSHOT_DIR, `${name}-terminal.png`) });
}

/** A line whose text (not its command's summary above it) starts with `prefix`, leading spaces aside. */
const lineStarting = (page: Page, prefix: string) =>
  page.locator('[data-slot="term-line"]').filter({
    has: page.locator('[data-slot="term-text"]', {
      hasText: new RegExp(`^\\s*${prefix.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`),
    }),
  });

/** Scrolls the log from the top until a line starting with `needle` is drawn, then brings it into view. */
async function reveal(page: Page, needle: string): Promise<void> {
  const line = lineStarting(page, needle).first();
  // The list re-renders a moment after each scroll (on its scroll event): every look waits for that.
  for (let attempt = 0; attempt < 3; attempt++) {
    await log(page).evaluate((el) => (el.scrollTop = 0));
    await page.waitForTimeout(100);
    for (let i = 0; i < 200 && (await line.count()) === 0; i++) {
      await log(page).evaluate((el) => (el.scrollTop += el.clientHeight / 2));
      await page.waitForTimeout(100);
    }
    try {
      await line.evaluate((el) => el.scrollIntoView({ block: "center" }), undefined, { timeout: 2_000 });
      await page.waitForTimeout(200);
      return;
    } catch {
      // Drawn, then replaced by the re-render of the scroll that found it: look again.
    }
  }
  throw new Error(
    `no line starts with ${needle}: ${JSON.stringify((await page.locator('[data-slot="term-text"]').allInnerTexts()).map((t) => t.slice(0, 40)))}`,
  );
}

/** Each drawn row starts where the one before it ends: a row measured short would overlap the next. */
async function expectNoOverlap(page: Page): Promise<void> {
  const boxes = (await page.evaluate(`[...document.querySelectorAll('[role="log"] [data-index]')]
    .map((r) => ({ i: Number(r.dataset.index), top: r.getBoundingClientRect().top, bottom: r.getBoundingClientRect().bottom }))
    .sort((a, b) => a.i - b.i)`)) as { i: number; top: number; bottom: number }[];
  expect(boxes.length).toBeGreaterThan(5);
  for (let k = 1; k < boxes.length; k++)
    if (boxes[k]!.i === boxes[k - 1]!.i + 1) expect(boxes[k]!.top).toBeGreaterThanOrEqual(boxes[k - 1]!.bottom - 0.5);
}

async function geometry(page: Page, needle: string): Promise<LineGeometry> {
  const g = (await page.evaluate(geometryOf(needle))) as LineGeometry | null;
  if (!g) throw new Error(`no line holds ${needle}`);
  return g;
}

/** Every character of a line is drawn between the log's left and right edges. */
function expectInside(g: LineGeometry): void {
  expect(g.first.left).toBeGreaterThanOrEqual(g.log.left);
  expect(g.last.right).toBeLessThanOrEqual(g.log.right);
  for (const left of g.rowStarts) expect(left).toBeGreaterThanOrEqual(g.log.left);
}

/** Every character of the long line is drawn inside the log's box (wrapped, or scrolled to), and the page is no wider than the window. */
function expectReadable(g: LineGeometry, width: number): void {
  expect(g.text).toContain(LONG);
  expect(g.pageWidth).toBeLessThanOrEqual(width);
  expectInside(g);
}

describe("the session terminal in a real browser", () => {
  const suite = useBrowserSuite();
  let sessionId: Promise<string> | null = null;
  /** One scripted session for the file, run to the end before the first test opens it (the log is then replayed whole). */
  const session = () =>
    (sessionId ??= (async () => {
      const s = await suite.t.api.call("createSession", {
        body: { title: "e2e terminal", prompt: scripted("Print long, indented and coloured output", STEPS) },
      });
      await waitForStatus(suite.t.api, s.id, ["completed"], 170_000);
      return s.id;
    })());

  async function openSession(width: number, height: number): Promise<Page> {
    const { page } = suite.w;
    await page.setViewportSize({ width, height });
    await page.goto(`${suite.t.orc.url}/sessions/${await session()}`);
    await loaded(page);
    await page.locator('[data-slot="term-line"]', { hasText: "seq 1 40" }).first().waitFor({ timeout: 30_000 });
    return page;
  }

  it("shows a 2,000-character line whole, soft-wrapped, and on one scrolled row with Wrap off, at 1440 px and 390 px", async () => {
    for (const [width, height, name] of [
      [1440, 900, "terminal-1440"],
      [390, 844, "terminal-390"],
    ] as const) {
      const page = await openSession(width, height);
      expect(await page.getByRole("button", { name: "Wrap", exact: true }).getAttribute("aria-pressed")).toBe("true");
      await reveal(page, "0001-0002-");
      const wrapped = await geometry(page, "0001-0002-");
      expectReadable(wrapped, width);
      // Soft-wrapped: the line takes many rows, and nothing scrolls sideways.
      expect(wrapped.height).toBeGreaterThan(20 * (width === 390 ? 40 : 8));
      expect(wrapped.log.scrollWidth).toBeLessThanOrEqual(wrapped.log.clientWidth);
      await expectNoOverlap(page);
      await shoot(page, `${name}-wrap`);

      await page.getByRole("button", { name: "Wrap", exact: true }).click();
      expect(await page.getByRole("button", { name: "Wrap", exact: true }).getAttribute("aria-pressed")).toBe("false");
      await reveal(page, "0001-0002-");
      await log(page).evaluate((el) => (el.scrollLeft = 0));
      const oneRow = await geometry(page, "0001-0002-");
      expect(oneRow.height).toBe(20);
      await expectNoOverlap(page);
      expect(oneRow.log.scrollWidth).toBeGreaterThan(oneRow.log.clientWidth);
      expect(oneRow.pageWidth).toBeLessThanOrEqual(width);
      expect(oneRow.text).toBe(LONG);
      expect(oneRow.first.left).toBeGreaterThanOrEqual(oneRow.log.left);
      // Scrolled to the far right, the line's last character is in the log's box, and the page did not widen.
      await log(page).evaluate((el) => (el.scrollLeft = el.scrollWidth));
      await page.waitForTimeout(200);
      const end = await geometry(page, "0001-0002-");
      expect(end.last.left).toBeGreaterThanOrEqual(end.log.left);
      expect(end.last.right).toBeLessThanOrEqual(end.log.left + end.log.clientWidth);
      expect(end.pageWidth).toBeLessThanOrEqual(width);
      await shoot(page, `${name}-scroll`);

      expect(await seriousA11yViolations(page)).toEqual([]);
    }
    expect(suite.w.errors).toEqual([]);
    expect(suite.w.httpErrors).toEqual([]);
  });

  it("draws ANSI colours with the theme's tokens, and an indented stack trace wrapped under its indentation", async () => {
    const page = await openSession(390, 844);
    await reveal(page, "red green bold yellow");
    const coloured = lineStarting(page, "red green bold yellow");
    // The escape sequences are parsed, not shown.
    expect(await coloured.locator('[data-slot="term-text"]').innerText()).toBe("red green bold yellow  FAIL ");
    const colourOf = (text: string) =>
      coloured.locator('[data-slot="ansi"]', { hasText: text }).evaluate((el) => ({
        color: getComputedStyle(el).color,
        bg: getComputedStyle(el).backgroundColor,
        weight: getComputedStyle(el).fontWeight,
      }));
    expect(await colourOf("red")).toMatchObject({ color: "rgb(255, 90, 82)" });
    expect(await colourOf("green")).toMatchObject({ color: "rgb(47, 211, 107)" });
    expect(await colourOf("bold yellow")).toMatchObject({ color: "rgb(245, 210, 58)", weight: "700" });
    expect(await colourOf("FAIL")).toMatchObject({ color: "rgb(11, 11, 12)", bg: "rgb(255, 90, 82)" });
    await shoot(page, "terminal-390-ansi");

    await reveal(page, "raise ValueError");
    const raise = await geometry(page, "raise ValueError");
    expect(raise.text).toBe(TRACE[4]);
    // Wrapped at 390 px, and every row after the first hangs under the 4-space indent (not at column 0).
    expect(raise.rowStarts.length).toBeGreaterThan(1);
    const charWidth = raise.first.right - raise.first.left;
    for (const left of raise.rowStarts.slice(1))
      expect(left - raise.rowStarts[0]!).toBeGreaterThanOrEqual(4 * charWidth - 1);
    expectInside(raise);
    await expectNoOverlap(page);
    await shoot(page, "terminal-390-trace");
    expect(await seriousA11yViolations(page)).toEqual([]);
    expect(suite.w.errors).toEqual([]);
  });

  it("searches and filters by level, jumps to the next error, folds a long output, copies a range and follows", async () => {
    const page = await openSession(1440, 900);
    const lines = page.locator('[data-slot="term-line"]');
    const count = page.locator('[data-slot="terminal"]').getByText(/lines$/);
    const total = Number((await count.innerText()).split(" ")[0]);

    // Search: only matching lines, and the count says how many of all.
    await page.getByLabel("Search the log").fill("valueerror");
    await expect.poll(() => count.innerText()).toMatch(new RegExp(`^\\d+ / ${total} lines$`));
    const found = Number((await count.innerText()).split(" ")[0]);
    // The raise line, the error line, and the command that printed them.
    expect(found).toBeGreaterThanOrEqual(2);
    expect(await lines.count()).toBe(found);
    for (const text of await lines.allInnerTexts()) expect(text.toLowerCase()).toContain("valueerror");
    await page.getByLabel("Search the log").fill("");

    // Level filter: debug only, then everything but debug.
    for (const l of ["info", "warn", "error"]) await page.getByRole("button", { name: l, exact: true }).click();
    await expect
      .poll(async () => new Set(await lines.evaluateAll((els) => els.map((e) => e.getAttribute("data-level")))))
      .toEqual(new Set(["debug"]));
    for (const l of ["debug", "info", "warn", "error"])
      await page.getByRole("button", { name: l, exact: true }).click();
    await expect
      .poll(async () =>
        (await lines.evaluateAll((els) => els.map((e) => e.getAttribute("data-level")))).includes("debug"),
      )
      .toBe(false);
    await page.getByRole("button", { name: "debug", exact: true }).click();
    await expect.poll(() => count.innerText()).toBe(`${total} lines`);

    // Next error: the traceback's head, selected and in view; again: the ValueError line.
    await page.getByRole("button", { name: "Next error", exact: true }).click();
    const current = page.locator('[data-slot="term-line"][data-selected]');
    await expect.poll(() => current.innerText()).toContain("Traceback (most recent call last):");
    expect(await current.getAttribute("data-problem")).toBe("true");
    expect(await page.getByRole("button", { name: "Follow", exact: true }).getAttribute("aria-pressed")).toBe("false");
    await page.getByRole("button", { name: "Next error", exact: true }).click();
    await expect.poll(() => current.innerText()).toContain("raise ValueError(");

    // Copy a range: the traceback's six lines, by their numbers (shift-click extends).
    await page.context().grantPermissions(["clipboard-read", "clipboard-write"], { origin: suite.t.orc.url });
    const head = lineStarting(page, "Traceback (most recent").locator("button");
    // The button reads "Select line <seq>.<row>" (its words are for screen readers; the number is what shows): the
    // output's lines are rows of the tool call's event, numbered after its seq.
    const [, seq, part] = /(\d+)\.(\d+)$/.exec(await head.innerText()) ?? [];
    await page.getByRole("button", { name: `Select line ${seq}.${part}`, exact: true }).click();
    await page
      .getByRole("button", { name: `Select line ${seq}.${Number(part) + 5}`, exact: true })
      .click({ modifiers: ["Shift"] });
    await page.getByRole("button", { name: "Copy 6 lines", exact: true }).click();
    await page.getByRole("status").filter({ hasText: "Copied 6 lines" }).waitFor();
    expect(await page.evaluate("navigator.clipboard.readText()")).toBe(TRACE.join("\n"));
    await shoot(page, "terminal-1440-selected");

    // A long output is folded to its head and tail; the fold opens and closes.
    await reveal(page, "[completed] seq 1 40");
    const fold = page.locator('[data-slot="term-fold"]').getByRole("button");
    expect(await fold.textContent()).toMatch(/^Show 31 more lines/);
    expect(await page.locator('[data-slot="term-text"]', { hasText: /^20$/ }).count()).toBe(0);
    await fold.click();
    // Open, the bar moves below the event's last line, and closes the fold from there.
    await reveal(page, "40");
    expect(await fold.getAttribute("aria-expanded")).toBe("true");
    expect(await fold.textContent()).toBe("Fold the 41 lines of this event");
    await reveal(page, "[completed] seq 1 40");
    await expect.poll(() => page.locator('[data-slot="term-text"]', { hasText: /^20$/ }).count()).toBe(1);

    // Follow: pressed, it goes back to the last line; scrolled up, it lets go.
    await page.getByRole("button", { name: "Follow", exact: true }).click();
    await expect
      .poll(() => page.getByRole("button", { name: "● Following", exact: true }).getAttribute("aria-pressed"))
      .toBe("true");
    await expect
      .poll(() => log(page).evaluate((el) => el.scrollHeight - el.scrollTop - el.clientHeight))
      .toBeLessThan(40);
    await log(page).evaluate((el) => (el.scrollTop = 0));
    await expect
      .poll(() => page.getByRole("button", { name: "Follow", exact: true }).getAttribute("aria-pressed"))
      .toBe("false");

    expect(await seriousA11yViolations(page)).toEqual([]);
    expect(suite.w.errors).toEqual([]);
    expect(suite.w.httpErrors).toEqual([]);
  });

  it("follows a running session's new lines to the bottom, and stays where it was put once scrolled up", async () => {
    const { t, w } = suite;
    const s = await t.api.call("createSession", {
      body: {
        title: "e2e terminal follow",
        prompt: scripted("Print slowly", [
          bash("echo first", "first"),
          { sleep_ms: 3000 },
          bash("seq 1 30", "thirty"),
          { sleep_ms: 3000 },
          bash("seq 1 25", "twenty-five"),
          { text: "done" },
        ]),
      },
    });
    const { page } = w;
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${t.orc.url}/sessions/${s.id}`);
    await lineStarting(page, "[completed] echo first").first().waitFor({ timeout: 120_000 });
    const following = page.getByRole("button", { name: "● Following", exact: true });
    expect(await following.getAttribute("aria-pressed")).toBe("true");
    // New output arrives over the socket and the log stays at its bottom, its last line in view.
    await lineStarting(page, "[completed] seq 1 30").first().waitFor({ timeout: 60_000 });
    await expect
      .poll(() => log(page).evaluate((el) => el.scrollHeight - el.scrollTop - el.clientHeight))
      .toBeLessThan(40);
    await shoot(page, "terminal-390-following");

    const count = page.locator('[data-slot="terminal"]').getByText(/^\d+ lines$/);
    const before = parseInt(await count.innerText(), 10);
    await log(page).evaluate((el) => (el.scrollTop = 0));
    await page.getByRole("button", { name: "Follow", exact: true }).waitFor();
    await page.locator('[data-slot="status-badge"][data-status="completed"]').first().waitFor({ timeout: 60_000 });
    // Lines kept coming (the last command's output among them); the reader's place did not move.
    await expect
      .poll(async () => parseInt(await count.innerText(), 10), { timeout: 15_000 })
      .toBeGreaterThan(before + 25);
    expect(await log(page).evaluate((el) => el.scrollTop)).toBe(0);
    expect(await page.getByRole("button", { name: "Follow", exact: true }).getAttribute("aria-pressed")).toBe("false");
    expect(w.errors).toEqual([]);
    expect(w.httpErrors).toEqual([]);
  });
});
