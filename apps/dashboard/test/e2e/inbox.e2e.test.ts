import { allEvents, scripted, waitForStatus } from "@industrial/server/testing";
import { describe, expect, it } from "vitest";
import { closePage, loaded, openPage, screenshot, seriousA11yViolations, signIn, useBrowserSuite } from "./browser";

/**
 * The Inbox (docs/input-requests.md §3, Dashboard) on the real binary: an
 * agent whose `edit` permission is `ask` writes a file; the request shows on
 * the session page above the terminal and on the Inbox page with the nav's
 * count, live; Approve once lets the session write and complete. A viewer
 * reads the same card with its controls disabled.
 */
const ASK_EDIT = [{ permission: "edit", pattern: "*", action: "ask" as const }];
const writeSteps = (file: string) => [{ tool: "write", input: { filePath: file, content: "x\n" } }, { text: "done" }];

describe("the Inbox in a real browser", () => {
  const suite = useBrowserSuite();

  it("a write waits on the Inbox (badge, card with the diff, on the session page too); Approve once completes the session", async () => {
    const { t, w } = suite;
    const { page } = w;
    const agent = await t.api.call("createAgent", {
      body: { name: "asks-before-editing", type: "implementer", permissions: ASK_EDIT },
    });
    const s = await t.api.call("createSession", {
      body: {
        title: "e2e inbox write",
        prompt: scripted("Write x.txt", writeSteps("x.txt")),
        preferredAgentId: agent.id,
        retry: { maxAttempts: 1 },
      },
    });

    // Open before the request exists: it arrives live, with the nav's count.
    await page.goto(`${t.orc.url}/inbox`);
    await loaded(page);
    const card = page.locator(`[data-slot="request-card"][data-kind="permission"]`);
    await card.waitFor({ timeout: 120_000 });
    const nav = page.getByRole("navigation", { name: "Main" });
    await expect.poll(() => nav.locator('[data-slot="inbox-count"]').innerText(), { timeout: 15_000 }).toMatch(/^1\b/);
    expect(await card.locator('[data-slot="ask-permission"]').innerText()).toBe("EDIT");
    expect(await card.locator('[data-slot="ask-diff"]').innerText()).toContain("+x");
    expect(await card.getByRole("link", { name: "e2e inbox write" }).getAttribute("href")).toBe(`/sessions/${s.id}`);
    expect(await card.getByRole("link", { name: agent.name }).count()).toBe(1);
    await page.locator('[data-slot="inbox-live"][data-state="open"]').waitFor();
    await screenshot(page, "inbox");
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.setViewportSize({ width: 390, height: 844 });
    await card.waitFor();
    await screenshot(page, "inbox-phone");
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.setViewportSize({ width: 1280, height: 900 });

    // The session page shows the same card above the terminal.
    await page.goto(`${t.orc.url}/sessions/${s.id}`);
    await loaded(page);
    const onSession = page.locator('[data-slot="request-card"]');
    await onSession.waitFor({ timeout: 30_000 });
    const [cardBox, termBox] = await Promise.all([
      onSession.boundingBox(),
      page.locator('[data-slot="terminal"]').boundingBox(),
    ]);
    expect(cardBox!.y).toBeLessThan(termBox!.y);
    await page
      .locator('[data-slot="term-line"]', { hasText: "waits for an answer" })
      .first()
      .waitFor({ timeout: 30_000 });
    await screenshot(page, "session-input-request");

    // Approve once, from the Inbox.
    await page.goto(`${t.orc.url}/inbox`);
    await loaded(page);
    await card.getByRole("button", { name: "Approve once", exact: true }).click();
    await card.waitFor({ state: "detached", timeout: 15_000 });
    await nav.locator('[data-slot="inbox-count"]').waitFor({ state: "detached", timeout: 15_000 });
    await page.getByText("Nothing waits for an answer").waitFor();
    expect((await waitForStatus(t.api, s.id, ["completed", "failed"], 120_000)).status).toBe("completed");
    const events = await allEvents(t.api, s.id);
    expect(events.find((e) => e.type === "session.input_replied")?.payload).toMatchObject({
      outcome: "answered",
      reply: { reply: "once" },
    });
    expect(
      events.some((e) => e.type === "session.tool" && e.payload.tool === "write" && e.payload.status === "completed"),
    ).toBe(true);
    await screenshot(page, "inbox-empty");

    expect(w.errors).toEqual([]);
    expect(w.httpErrors).toEqual([]);
  });

  it("a question: options as radio buttons and checkboxes, a field error when left unanswered that goes once answered; Submit reaches the agent", async () => {
    const { t, w } = suite;
    const { page } = w;
    const agent = await t.api.call("createAgent", {
      body: { name: "asks-questions", type: "implementer", allowQuestions: true },
    });
    const question = {
      questions: [
        {
          question: "Which colour should the button be?",
          header: "Colour",
          options: [
            { label: "Red", description: "warm, loud" },
            { label: "Blue", description: "cold, calm" },
          ],
        },
        // OpenCode's question tool takes no `custom` from the model: the driver stores it false, so no free-text box here (the unit tests cover it).
        {
          question: "Which pages get the new button?",
          header: "Pages",
          options: [
            { label: "Home", description: "" },
            { label: "Settings", description: "" },
          ],
          multiple: true,
        },
      ],
    };
    const s = await t.api.call("createSession", {
      body: {
        title: "e2e inbox question",
        prompt: scripted("Ask first", [{ tool: "question", input: question }, { text: "done" }]),
        preferredAgentId: agent.id,
        retry: { maxAttempts: 1 },
      },
    });
    await page.goto(`${t.orc.url}/inbox?kind=question`);
    await loaded(page);
    const card = page.locator('[data-slot="request-card"][data-kind="question"]');
    await card.waitFor({ timeout: 120_000 });
    const [colour, pages] = [
      card.locator('[data-slot="question"]').nth(0),
      card.locator('[data-slot="question"]').nth(1),
    ];
    expect(await colour.getByRole("radio").count()).toBe(2);
    expect(await pages.getByRole("checkbox").count()).toBe(2);

    // Nothing chosen: each question says so, nothing is sent.
    await card.getByRole("button", { name: "Submit", exact: true }).click();
    expect(await card.locator('[data-slot="field-error"]').allInnerTexts()).toEqual([
      "✗ choose an option or type an answer",
      "✗ choose an option or type an answer",
    ]);
    await colour.getByText("Blue", { exact: true }).click();
    expect(await card.locator('[data-slot="field-error"]').count()).toBe(1);
    await pages.getByText("Home", { exact: true }).click();
    await pages.getByText("Settings", { exact: true }).click();
    expect(await card.locator('[data-slot="field-error"]').count()).toBe(0);
    // OpenCode's questions take free text too (its question tool cannot turn that off).
    expect(await pages.getByRole("textbox").count()).toBe(1);
    await screenshot(page, "inbox-question");
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.setViewportSize({ width: 390, height: 844 });
    await screenshot(page, "inbox-question-phone");
    await page.setViewportSize({ width: 1280, height: 900 });

    await card.getByRole("button", { name: "Submit", exact: true }).click();
    await card.waitFor({ state: "detached", timeout: 15_000 });
    expect((await waitForStatus(t.api, s.id, ["completed", "failed"], 120_000)).status).toBe("completed");
    const events = await allEvents(t.api, s.id);
    expect(events.find((e) => e.type === "session.input_replied")?.payload).toMatchObject({
      outcome: "answered",
      reply: { answers: [["Blue"], ["Home", "Settings"]] },
    });
    const tool = events
      .map((e) => e.payload as { tool?: string; status?: string; output?: string })
      .find((p) => p.tool === "question" && p.status === "completed");
    expect(tool?.output).toContain('"Which colour should the button be?"="Blue"');

    expect(w.errors).toEqual([]);
    expect(w.httpErrors).toEqual([]);
  });

  it("a viewer reads the request with the controls disabled; the session page shows it to them too", async () => {
    const { t, browser } = suite;
    const agent = await t.api.call("createAgent", {
      body: { name: "asks-for-the-viewer", type: "implementer", permissions: ASK_EDIT },
    });
    const s = await t.api.call("createSession", {
      body: {
        title: "e2e inbox viewer",
        prompt: scripted("Write y.txt", writeSteps("y.txt")),
        preferredAgentId: agent.id,
        retry: { maxAttempts: 1 },
      },
    });
    const { key } = await t.api.call("createApiKey", { body: { name: "e2e inbox viewer", role: "viewer" } });
    const viewer = await openPage(browser, undefined, await signIn(browser, t.orc.url, key));
    try {
      const { page } = viewer;
      await page.goto(`${t.orc.url}/inbox`);
      await loaded(page);
      const card = page.locator(`[data-slot="request-card"]`, { hasText: "e2e inbox viewer" });
      await card.waitFor({ timeout: 120_000 });
      for (const name of ["Approve once", "Always", "Reject"])
        expect(await card.getByRole("button", { name, exact: true }).isDisabled()).toBe(true);
      await card.getByText("Read only").waitFor();
      await screenshot(page, "inbox-viewer");
      await page.goto(`${t.orc.url}/sessions/${s.id}`);
      await loaded(page);
      await page
        .locator('[data-slot="request-card"]')
        .getByRole("button", { name: "Approve once", exact: true })
        .waitFor();
      expect(
        await page
          .locator('[data-slot="request-card"]')
          .getByRole("button", { name: "Approve once", exact: true })
          .isDisabled(),
      ).toBe(true);
      expect(viewer.errors).toEqual([]);
      expect(viewer.httpErrors).toEqual([]);
    } finally {
      await closePage(viewer);
    }
    // The admin declines it through the API; the session goes on to its next step.
    const [item] = (await t.api.call("listInbox", { query: { sessionId: s.id } })).items;
    await t.api.call("replyInputRequest", {
      params: { requestId: item!.id },
      body: { reply: "reject", message: "not now" },
    });
    expect((await waitForStatus(t.api, s.id, ["completed", "failed"], 120_000)).status).toBe("completed");
  });
});
