import { join } from "node:path";
import { allEvents, scripted, waitForStatus } from "@industrial/server/testing";
import type { Locator } from "playwright-core";
import { describe, expect, it } from "vitest";
import { loaded, screenshot, SCREENSHOT_DIR, seriousA11yViolations, useBrowserSuite } from "./browser";

/**
 * Issue 14's last "done when", as a new user does it: everything through the
 * dashboard, nothing through the API but the checks. Register an agent whose
 * Edit files is `ask` (a wrong extra rule first, named under its row by the
 * API's 400), see its rules on its page, start a session for it from the New
 * session dialog, find the write waiting in the Inbox, Approve once, watch
 * the session complete.
 */
const shot = (el: Locator, name: string) => el.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`) });

describe("a new user gives an agent `edit: ask` and answers it in the Inbox", () => {
  const suite = useBrowserSuite();

  it("registers the agent with the Permissions group, starts its session from the dialog, approves the write once in the Inbox", async () => {
    const { t, w } = suite;
    const { page } = w;

    // Register, with edit = ask and one extra rule typed wrong first.
    await page.goto(`${t.orc.url}/agents?register=1`);
    const dialog = page.locator("dialog[open]");
    await dialog.locator("#agent-name").waitFor();
    await dialog.locator("#agent-name").fill("asks-before-edit-ui");
    const group = dialog.locator('[data-slot="permission-fields"]');
    expect(await group.locator("#agent-perm-edit").inputValue()).toBe("allow");
    expect(await group.locator('[data-slot="ask-note"]').innerText()).toContain("Inbox");
    await group.locator("#agent-perm-edit").selectOption("ask");
    await group.getByRole("button", { name: "+ Add rule" }).click();
    await group.getByRole("button", { name: "+ Add rule" }).click();
    expect(await group.locator('[data-slot="permission-rule"]').count()).toBe(2);
    // A row added by mistake goes again; the one left is rule 1.
    await group.getByRole("button", { name: "Remove rule 2", exact: true }).click();
    const rule = group.locator('[data-slot="permission-rule"]');
    expect(await rule.count()).toBe(1);
    expect(await group.getByLabel("Rule 1 pattern", { exact: true }).inputValue()).toBe("*");
    await group.getByLabel("Rule 1 permission", { exact: true }).fill("Read");
    await group.getByLabel("Rule 1 pattern", { exact: true }).fill("*.env");
    await group.getByLabel("Rule 1 action", { exact: true }).selectOption("deny");
    await dialog.getByRole("button", { name: "Register agent", exact: true }).click();
    const rowError = rule.locator('[data-slot="field-error"]');
    await rowError.waitFor();
    expect(await rowError.innerText()).toMatch(
      /^✗ rule 1 \(Read \*\.env\): permission: must be an OpenCode permission/,
    );
    expect(await group.getByLabel("Rule 1 permission", { exact: true }).getAttribute("aria-invalid")).toBe("true");
    expect(await group.getByLabel("Rule 1 pattern", { exact: true }).getAttribute("aria-invalid")).toBeNull();
    await group.scrollIntoViewIfNeeded();
    await screenshot(page, "agents-register-permissions-error");
    await shot(group, "agents-register-permissions-error-group");
    await group.getByLabel("Rule 1 permission", { exact: true }).fill("read");
    // The error quotes the rule as sent until the next try.
    expect(await rowError.innerText()).toContain("(Read *.env)");
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.setViewportSize({ width: 390, height: 844 });
    await group.scrollIntoViewIfNeeded();
    await screenshot(page, "agents-register-permissions-phone");
    await shot(group, "agents-register-permissions-phone-group");
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.setViewportSize({ width: 1280, height: 900 });
    await group.scrollIntoViewIfNeeded();
    await screenshot(page, "agents-register-permissions");
    await shot(group, "agents-register-permissions-group");
    await dialog.getByRole("button", { name: "Register agent", exact: true }).click();
    await page.locator('[data-slot="agent-card"][data-agent="asks-before-edit-ui"]').waitFor();
    expect(await page.locator("dialog[open]").count()).toBe(0);
    const agent = (await t.api.call("listAgents", { query: { limit: 200 } })).items.find(
      (a) => a.name === "asks-before-edit-ui",
    )!;
    expect(agent.permissions).toEqual([
      { permission: "edit", pattern: "*", action: "ask" },
      { permission: "read", pattern: "*.env", action: "deny" },
    ]);

    // Its page shows the rules, in order, and where an ask goes.
    await page.goto(`${t.orc.url}/agents/${agent.id}`);
    await loaded(page);
    const rules = page.locator('[data-slot="agent-permission"]');
    expect(await rules.allInnerTexts()).toEqual([
      expect.stringMatching(/^1\s+edit\s+\*\s+ASK$/),
      expect.stringMatching(/^2\s+read\s+\*\.env\s+DENY$/),
    ]);
    await screenshot(page, "agent-detail-permissions");

    // The edit dialog reads them back: edit's select, and read as a row.
    await page.getByRole("button", { name: "Edit", exact: true }).click();
    const edit = page.locator("dialog[open]");
    expect(await edit.locator("#edit-perm-edit").inputValue()).toBe("ask");
    expect(await edit.locator("#edit-perm-bash").inputValue()).toBe("allow");
    expect(await edit.getByLabel("Rule 1 permission", { exact: true }).inputValue()).toBe("read");
    await edit.getByRole("button", { name: "Cancel", exact: true }).click();

    // A session for it, from the New session dialog.
    await page.goto(`${t.orc.url}/sessions?new=1`);
    await page.getByLabel("Title", { exact: true }).fill("e2e new user write");
    await page
      .locator("#prompt")
      .fill(
        scripted("Write x.txt", [{ tool: "write", input: { filePath: "x.txt", content: "x\n" } }, { text: "done" }]),
      );
    await page.locator("#preferredAgentId").selectOption(agent.id);
    await page.getByRole("button", { name: "Create session", exact: true }).click();
    await page.waitForURL(/\/sessions\/[0-9a-f-]{36}$/);
    const sessionId = page.url().split("/").at(-1)!;

    // The write waits in the Inbox; Approve once.
    await page.goto(`${t.orc.url}/inbox`);
    await loaded(page);
    const card = page.locator('[data-slot="request-card"][data-kind="permission"]', { hasText: "e2e new user write" });
    await card.waitFor({ timeout: 120_000 });
    expect(await card.getByRole("link", { name: agent.name }).count()).toBe(1);
    await screenshot(page, "inbox-new-user");
    await card.getByRole("button", { name: "Approve once", exact: true }).click();
    await card.waitFor({ state: "detached", timeout: 15_000 });

    // The session completes, with the file written.
    await page.goto(`${t.orc.url}/sessions/${sessionId}`);
    await page.locator('[data-slot="status-badge"][data-status="completed"]').first().waitFor({ timeout: 120_000 });
    expect((await waitForStatus(t.api, sessionId, ["completed", "failed"], 10_000)).status).toBe("completed");
    const events = await allEvents(t.api, sessionId);
    expect(events.filter((e) => e.type === "session.input_replied").map((e) => e.payload)).toEqual([
      expect.objectContaining({ outcome: "answered", reply: { reply: "once" } }),
    ]);
    expect(
      events.some((e) => e.type === "session.tool" && e.payload.tool === "write" && e.payload.status === "completed"),
    ).toBe(true);
    await screenshot(page, "session-new-user-completed");

    expect(w.errors).toEqual([]);
    expect(w.httpErrors).toEqual([{ method: "POST", path: "/api/v1/agents", status: 400 }]);
  });
});
