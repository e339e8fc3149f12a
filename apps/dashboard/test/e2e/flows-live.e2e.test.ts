import { allEvents, scripted, waitForStatus } from "@industrial/server/testing";
import { describe, expect, it } from "vitest";
import { toTermLines } from "../../src/app/(dashboard)/sessions/lib/terminal-lines";
import { loaded, screenshot, seriousA11yViolations, useBrowserSuite } from "./browser";

/** What has focus, described (evaluated in the page: this file has no DOM types). */
const FOCUSED = `(() => { const e = document.activeElement; return e ? (e.getAttribute("data-shortcut") || e.getAttribute("aria-label") || e.textContent.trim()) : ""; })()`;

describe("live control flows in a real browser", () => {
  const suite = useBrowserSuite();

  it("(2) stops a long-running session from its page, then retries it", async () => {
    const { t, w } = suite;
    const s = await t.api.call("createSession", {
      body: {
        title: "e2e long",
        prompt: scripted("Write then think for a long time", [
          { tool: "write", input: { filePath: "a.txt", content: "a\n" } },
          { sleep_ms: 120_000 },
          { text: "done" },
        ]),
      },
    });
    const { page } = w;
    await page.goto(`${t.orc.url}/sessions/${s.id}`);
    await page.locator('[data-slot="status-badge"][data-status="running"]').first().waitFor({ timeout: 120_000 });
    await page.locator('[data-slot="checkpoint"]').first().waitFor({ timeout: 60_000 });
    await page.getByRole("button", { name: "Stop", exact: true }).click();
    await page.locator('[data-slot="status-badge"][data-status="stopped"]').first().waitFor({ timeout: 60_000 });
    await page.locator('[data-slot="term-line"]', { hasText: "→ stopped" }).first().waitFor();
    await screenshot(page, "session-stopped");

    await page.getByRole("button", { name: "Retry", exact: true }).click();
    // The dialog's default: where it stopped (the body `{}`).
    const dialog = page.locator("dialog[open]");
    expect(await dialog.getByLabel("Where it stopped").isChecked()).toBe(true);
    await dialog.getByRole("button", { name: "Retry", exact: true }).click();
    await page
      .locator('[data-slot="term-line"]', { hasText: "stopped → pending" })
      .first()
      .waitFor({ timeout: 30_000 });
    await page.locator('[data-slot="status-badge"][data-status="running"]').first().waitFor({ timeout: 120_000 });
    await page.getByText("2 / 3", { exact: true }).waitFor();
    await screenshot(page, "session-retried");

    expect(w.errors).toEqual([]);
    expect(w.httpErrors).toEqual([]);
  });

  it("(4) decomposes a task with a template, executes it and watches the graph and the tree change live", async () => {
    const { t, w } = suite;
    const task = await t.api.call("createTask", {
      body: { title: "Add rate limiting to the REST API", description: "A token bucket per API key." },
    });
    const { page } = w;
    await page.goto(`${t.orc.url}/tasks/${task.id}`);
    await page.getByRole("button", { name: "Decompose", exact: true }).click();
    await page.locator("#decompose-mode").selectOption("web_service");
    await page.locator("dialog[open]").getByRole("button", { name: "Decompose", exact: true }).click();
    await expect.poll(() => page.locator('[data-slot="dag-node"]').count(), { timeout: 30_000 }).toBeGreaterThan(2);
    expect(await page.locator('[data-slot="dag-node"][data-critical="true"]').count()).toBeGreaterThan(0);
    await screenshot(page, "task-decomposed");

    await page.getByRole("button", { name: "Execute", exact: true }).click();
    await page.locator("dialog[open]").getByRole("button", { name: "Execute", exact: true }).click();
    // The graph's statuses move without a reload: a leaf runs, then one completes.
    await page.locator('[data-slot="dag-node"][data-status="running"]').first().waitFor({ timeout: 120_000 });
    await page.locator('[data-slot="dag-node"][data-status="completed"]').first().waitFor({ timeout: 150_000 });
    await expect
      .poll(
        async () =>
          Number(await page.getByRole("progressbar", { name: "Task progress" }).getAttribute("aria-valuenow")),
        { timeout: 30_000 },
      )
      .toBeGreaterThan(0);
    await screenshot(page, "task-executing");

    expect(w.errors).toEqual([]);
    expect(w.httpErrors).toEqual([]);
    await t.api.call("cancelTask", { params: { id: task.id }, body: {} }).catch(() => undefined);
  });

  it("(6) the WebSocket is killed server-side: the indicator goes reconnecting → live and the terminal misses no line", async () => {
    const { t, w } = suite;
    const steps = [
      { tool: "write", input: { filePath: "a.txt", content: "a\n" } },
      { sleep_ms: 2500 },
      { tool: "write", input: { filePath: "b.txt", content: "b\n" } },
      { sleep_ms: 2500 },
      { tool: "write", input: { filePath: "c.txt", content: "c\n" } },
      { sleep_ms: 2500 },
      { text: "done" },
    ];
    const s = await t.api.call("createSession", {
      body: { title: "e2e reconnect", prompt: scripted("Write three files slowly", steps) },
    });
    const { page } = w;
    await page.goto(`${t.orc.url}/sessions/${s.id}`);
    await page.locator('[data-slot="stream"][data-state="open"]').waitFor({ timeout: 30_000 });
    await page.locator('[data-slot="connection"][data-state="live"]').waitFor({ timeout: 30_000 });
    await page.locator('[data-slot="term-line"]', { hasText: "a.txt" }).first().waitFor({ timeout: 120_000 });
    // Record every state the indicator shows from here on.
    await page.evaluate(`(() => {
      const el = document.querySelector('[data-slot="connection"]');
      window.__states = [el.dataset.state];
      new MutationObserver(() => window.__states.push(el.dataset.state)).observe(el, { attributes: true, attributeFilter: ["data-state"] });
    })()`);

    const wss = (t.orc.app as unknown as { websocketServer: { clients: Set<{ terminate(): void }> } }).websocketServer;
    expect(wss.clients.size).toBeGreaterThan(0);
    for (const c of wss.clients) c.terminate();

    await page.locator('[data-slot="status-badge"][data-status="completed"]').first().waitFor({ timeout: 120_000 });
    await page.locator('[data-slot="connection"][data-state="live"]').waitFor({ timeout: 30_000 });
    await page.locator('[data-slot="stream"][data-state="open"]').waitFor({ timeout: 30_000 });
    const states = (await page.evaluate("window.__states")) as string[];
    expect(states).toContain("reconnecting");
    expect(states[states.length - 1]).toBe("live");

    // Every event of the log is in the terminal exactly once.
    const expected = toTermLines(await allEvents(t.api, s.id)).length;
    await expect
      .poll(
        () =>
          page
            .locator('[data-slot="terminal"]')
            .getByText(/^\d+ lines$/)
            .innerText(),
        { timeout: 15_000 },
      )
      .toBe(`${expected} lines`);
    await screenshot(page, "session-after-reconnect");

    expect(w.errors).toEqual([]);
    expect(w.httpErrors).toEqual([]);
  });

  it("(7) keyboard: / searches, f follows, p pauses and resumes, Escape closes a dialog and focus returns; at 390 px Tab reaches the controls", async () => {
    const { t, w } = suite;
    const s = await t.api.call("createSession", {
      body: {
        title: "e2e keyboard",
        prompt: scripted("Print, then think", [
          { tool: "bash", input: { command: "seq 1 30", description: "print thirty numbers" } },
          { sleep_ms: 60_000 },
          { text: "done" },
        ]),
      },
    });
    const { page } = w;
    const status = (st: string) => page.locator(`[data-slot="status-badge"][data-status="${st}"]`).first();
    await page.goto(`${t.orc.url}/sessions/${s.id}`);
    await status("running").waitFor({ timeout: 120_000 });
    await page.locator('[data-slot="term-line"]', { hasText: "30" }).first().waitFor({ timeout: 60_000 });
    const search = page.getByLabel("Search the log");
    const follow = page.locator('[data-shortcut="follow"]');
    expect(await page.getByRole("button", { name: "Pause", exact: true }).getAttribute("aria-keyshortcuts")).toBe("p");

    // `/` focuses the search; letters typed there are text, not shortcuts.
    await page.keyboard.press("/");
    expect(await page.evaluate(FOCUSED)).toBe("search");
    await page.keyboard.type("sfp");
    expect(await search.inputValue()).toBe("sfp");
    await page
      .locator('[data-slot="terminal"]')
      .getByText(/^0 \/ \d+ lines$/)
      .waitFor();
    expect(await follow.getAttribute("aria-pressed")).toBe("true");
    await search.fill("");

    // `f` from the log (one Tab stop; its line numbers are reached with ↓ and selected with Enter).
    const log = page.getByRole("log", { name: "Session log" });
    expect(await log.locator('[data-slot="term-line"] button[tabindex="-1"]').count()).toBeGreaterThan(0);
    await log.focus();
    await page.keyboard.press("f");
    expect(await follow.getAttribute("aria-pressed")).toBe("false");
    await page.keyboard.press("f");
    expect(await follow.getAttribute("aria-pressed")).toBe("true");
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("Enter");
    expect(await log.locator('[data-slot="term-line"][data-selected]').count()).toBe(1);

    // `p` pauses, `p` again resumes.
    await page.keyboard.press("p");
    await status("paused").waitFor({ timeout: 30_000 });
    await page.keyboard.press("p");
    await status("running").waitFor({ timeout: 30_000 });

    // `s` asks first: Escape cancels and the session runs on. The shortcuts dialog opened from its button
    // with Enter closes on Escape, and focus is back on the button.
    await page.keyboard.press("s");
    await page.locator("dialog[open]", { hasText: "Stop session" }).waitFor();
    await page.keyboard.press("Escape");
    await page.locator("dialog[open]").waitFor({ state: "detached" });
    const keys = page.getByRole("button", { name: "Keys ?" });
    await keys.focus();
    await page.keyboard.press("Enter");
    const help = page.locator("dialog[open]", { hasText: "Keyboard shortcuts" });
    await help.waitFor();
    await page.keyboard.press("p"); // ignored while a dialog is open
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.keyboard.press("Escape");
    await help.waitFor({ state: "detached" });
    expect(await page.evaluate(FOCUSED)).toBe("Keys ?");
    expect(await status("running").count()).toBeGreaterThan(0);

    // 390 px: Tab from the top reaches Pause, Stop, the search and Follow, never a line number.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.reload();
    await status("running").waitFor({ timeout: 30_000 });
    await page.locator('[data-slot="term-line"]').first().waitFor({ timeout: 30_000 });
    const reached: string[] = [];
    for (let i = 0; i < 60 && !reached.includes("Session log"); i++) {
      await page.keyboard.press("Tab");
      reached.push((await page.evaluate(FOCUSED)) as string);
    }
    expect(reached).toEqual(expect.arrayContaining(["Pause", "Stop", "search", "Session log", "follow"]));
    expect(reached.filter((r) => /^Select line/.test(r))).toEqual([]);
    expect(await page.evaluate("document.documentElement.scrollWidth")).toBeLessThanOrEqual(390);
    await screenshot(page, "session-keyboard-390");
    expect(await seriousA11yViolations(page)).toEqual([]);

    // Retry (a dialog unmounted on closing) opens on its confirm button, so Enter retries; Escape gives focus back.
    await t.api.call("stopSession", { params: { id: s.id } });
    const retry = page.getByRole("button", { name: "Retry", exact: true });
    await retry.waitFor({ timeout: 30_000 });
    await retry.focus();
    await page.keyboard.press("Enter");
    await page.locator("dialog[open]", { hasText: "Retry session" }).waitFor();
    expect(await page.evaluate(`document.activeElement.closest("dialog[open]") !== null`)).toBe(true);
    expect(await page.evaluate(FOCUSED)).toBe("Retry");
    await page.keyboard.press("Escape");
    await page.locator("dialog[open]").waitFor({ state: "detached" });
    expect(await page.evaluate(FOCUSED)).toBe("Retry");

    // New session: opens on its first field (Enter submits the form), Escape gives focus back.
    await page.goto(`${t.orc.url}/sessions`);
    const create = page.getByRole("button", { name: "+ New session" });
    await create.focus();
    await page.keyboard.press("Enter");
    await page.locator("dialog[open]", { hasText: "New session" }).waitFor();
    expect(await page.evaluate("document.activeElement.id")).toBe("title");
    await page.keyboard.press("Escape");
    await page.locator("dialog[open]").waitFor({ state: "detached" });
    expect(await page.evaluate(FOCUSED)).toBe("+ New session");

    expect(w.errors).toEqual([]);
    expect(w.httpErrors).toEqual([]);
  });

  it("(14) the sessions list: status chips and search narrow it in the URL, cursor pages go forward and back, bulk Stop and Retry act on the selection", async () => {
    const { t, w } = suite;
    const { page } = w;
    // 30 held sessions (not started: pending, cheap) make two pages of 25 under one search.
    for (let i = 0; i < 30; i++)
      await t.api.call("createSession", {
        body: { title: `paged item ${String(i).padStart(2, "0")}`, prompt: "Held for the list test", start: false },
      });
    const long = (title: string) =>
      t.api.call("createSession", {
        body: { title, prompt: scripted("Think for a long time", [{ sleep_ms: 120_000 }, { text: "done" }]) },
      });
    const [a, b] = [await long("bulk one"), await long("bulk two")];
    await Promise.all([a, b].map((s) => waitForStatus(t.api, s.id, ["running"], 120_000)));

    await page.goto(`${t.orc.url}/sessions`);
    await loaded(page);
    await page.getByLabel("Search title and prompt").fill("paged item");
    await page.waitForURL(/q=paged(\+|%20)item/);
    await page.getByText("page 1 · 25 of 30").waitFor();
    await page.getByRole("button", { name: "Next →" }).click();
    await page.getByText("page 2 · 5 of 30").waitFor();
    expect(await page.getByRole("link", { name: /^paged item 0[0-4]$/ }).count()).toBe(5);
    await page.getByRole("button", { name: "← Prev" }).click();
    await page.getByText("page 1 · 25 of 30").waitFor();
    await screenshot(page, "sessions-search-paged");

    // Status chips: Pending keeps the held ones, Running leaves none of them.
    await page.getByRole("group", { name: "Status" }).getByRole("button", { name: "Running" }).click();
    await page.waitForURL(/status=running/);
    await page.getByText("No session matches").waitFor();
    await page.getByLabel("Search title and prompt").fill("bulk");
    await page.getByText("page 1 · 2 of 2").waitFor();
    expect(
      await page
        .getByRole("group", { name: "Status" })
        .getByRole("button", { name: "Running" })
        .getAttribute("aria-pressed"),
    ).toBe("true");

    // Bulk: select both running sessions, stop them, then retry them.
    await page.getByLabel("Select all on this page").check();
    const bulk = page.getByRole("region", { name: "Bulk actions" });
    await bulk.getByText("2 selected").waitFor();
    await bulk.getByRole("button", { name: "Stop 2" }).click();
    await page.locator('[data-slot="toast"]', { hasText: "stop: 2 sessions" }).waitFor();
    await Promise.all([a, b].map((s) => waitForStatus(t.api, s.id, ["stopped"], 60_000)));
    await page.getByRole("group", { name: "Status" }).getByRole("button", { name: "Running" }).click();
    await page.getByRole("group", { name: "Status" }).getByRole("button", { name: "Stopped" }).click();
    await page.getByText("page 1 · 2 of 2").waitFor();
    await page.getByLabel("Select all on this page").check();
    await bulk.getByRole("button", { name: "Retry 2" }).click();
    await page.locator('[data-slot="toast"]', { hasText: "retry: 2 sessions" }).waitFor();
    await Promise.all([a, b].map((s) => waitForStatus(t.api, s.id, ["pending", "queued", "running"], 60_000)));
    await screenshot(page, "sessions-bulk-retried");
    for (const s of [a, b]) await t.api.call("stopSession", { params: { id: s.id } }).catch(() => undefined);

    expect(w.errors).toEqual([]);
    expect(w.httpErrors).toEqual([]);
  });

  it("(15) pauses a running session from its page and resumes it: the same attempt goes on", async () => {
    const { t, w } = suite;
    const s = await t.api.call("createSession", {
      body: {
        title: "e2e pause",
        prompt: scripted("Write, think, write", [
          { tool: "write", input: { filePath: "a.txt", content: "a\n" } },
          { sleep_ms: 60_000 },
          { text: "done" },
        ]),
      },
    });
    const { page } = w;
    await page.goto(`${t.orc.url}/sessions/${s.id}`);
    await page.locator('[data-slot="checkpoint"]').first().waitFor({ timeout: 120_000 });
    const controls = page.getByRole("group", { name: "Session controls" });
    await controls.getByRole("button", { name: "Pause", exact: true }).click();
    await page.locator('[data-slot="status-badge"][data-status="paused"]').first().waitFor({ timeout: 60_000 });
    await screenshot(page, "session-paused");
    await controls.getByRole("button", { name: "Resume", exact: true }).click();
    await page.locator('[data-slot="status-badge"][data-status="running"]').first().waitFor({ timeout: 60_000 });
    const resumed = await t.api.call("getSession", { params: { id: s.id } });
    expect(resumed.attempt).toBe(1);
    await t.api.call("stopSession", { params: { id: s.id } });

    expect(w.errors).toEqual([]);
    expect(w.httpErrors).toEqual([]);
  });
});
