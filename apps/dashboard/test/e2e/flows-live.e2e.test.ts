import { allEvents, scripted } from "@industrial/server/testing";
import { describe, expect, it } from "vitest";
import { toTermLines } from "../../src/app/(dashboard)/sessions/lib/terminal-lines";
import { screenshot, useBrowserSuite } from "./browser";

describe("live control flows in a real browser", () => {
  const suite = useBrowserSuite();

  it("(2) stops a long-running session from its page, then retries it", async () => {
    const { t, w } = suite;
    const s = await t.api.call("createSession", {
      body: { title: "e2e long", prompt: scripted("Write then think for a long time", [{ tool: "write", input: { filePath: "a.txt", content: "a\n" } }, { sleep_ms: 120_000 }, { text: "done" }]) },
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
    await page.locator('[data-slot="term-line"]', { hasText: "stopped → pending" }).first().waitFor({ timeout: 30_000 });
    await page.locator('[data-slot="status-badge"][data-status="running"]').first().waitFor({ timeout: 120_000 });
    await page.getByText("2 / 3", { exact: true }).waitFor();
    await screenshot(page, "session-retried");

    expect(w.errors).toEqual([]);
    expect(w.httpErrors).toEqual([]);
  });

  it("(4) decomposes a task with a template, executes it and watches the graph and the tree change live", async () => {
    const { t, w } = suite;
    const task = await t.api.call("createTask", { body: { title: "Add rate limiting to the REST API", description: "A token bucket per API key." } });
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
    await expect.poll(async () => Number(await page.getByRole("progressbar", { name: "Task progress" }).getAttribute("aria-valuenow")), { timeout: 30_000 }).toBeGreaterThan(0);
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
    const s = await t.api.call("createSession", { body: { title: "e2e reconnect", prompt: scripted("Write three files slowly", steps) } });
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
    await expect.poll(() => page.locator('[data-slot="terminal"]').getByText(/^\d+ lines$/).innerText(), { timeout: 15_000 }).toBe(`${expected} lines`);
    await screenshot(page, "session-after-reconnect");

    expect(w.errors).toEqual([]);
    expect(w.httpErrors).toEqual([]);
  });
});
