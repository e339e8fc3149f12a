import { scripted, startTestOrchestrator } from "@industrial/server/testing";
import { TEST_ADMIN_KEY } from "@industrial/testkit";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import {
  closePage,
  loaded,
  openPage,
  screenshot,
  seriousA11yViolations,
  useBrowserSuite,
  type WatchedPage,
} from "./browser";

const DEFAULT_TENANT_ID = "00000000-0000-4000-8000-000000000000";

/** Pastes a key into the sign-in page and sends it. */
async function submitKey(page: Page, key: string) {
  await page.locator("#key").fill(key);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
}

/** Screenshots the page at a width and checks it with axe; returns the serious violations. */
async function shootAndCheck(page: Page, name: string, width: number): Promise<string[]> {
  await page.setViewportSize({ width, height: width < 600 ? 844 : 900 });
  await page.waitForTimeout(200);
  await screenshot(page, name);
  return seriousA11yViolations(page);
}

describe("signing in, roles and who sees which button, in a real browser", () => {
  const suite = useBrowserSuite();

  it("(8) signed out lands on sign-in; a wrong key shows the server's error; the right one goes back, survives a reload; sign-out signs out", async () => {
    const { t, browser } = suite;
    const url = t.orc.url;
    const w = await openPage(browser);
    try {
      const { page } = w;
      await page.goto(`${url}/sessions?status=running`);
      await page.waitForURL(`${url}/sign-in?next=${encodeURIComponent("/sessions?status=running")}`);
      await page.locator("#key").waitFor();
      expect(await page.locator("#key").getAttribute("type")).toBe("password");
      const violations = [
        ...(await shootAndCheck(page, "sign-in", 1280)),
        ...(await shootAndCheck(page, "sign-in-phone", 390)),
      ];
      expect(violations).toEqual([]);
      await page.setViewportSize({ width: 1280, height: 900 });

      // Too short to be a key: the API's field error under the field.
      await submitKey(page, "not-a-key");
      expect(await page.locator("#key-error").innerText()).toContain("is not an API key");
      expect(await page.locator("#key").getAttribute("aria-invalid")).toBe("true");
      // Shaped like a key, but unknown: the server's refusal, as it said it.
      await submitKey(page, `io_AAAAAAAAAAAA_${"x".repeat(43)}`);
      const refusal = page.locator('[data-slot="error-panel"]');
      await refusal.waitFor();
      expect(await refusal.innerText()).toContain("unknown API key");
      await screenshot(page, "sign-in-wrong-key");

      // The right key: back where the visit started, with the filter.
      await submitKey(page, TEST_ADMIN_KEY);
      await page.waitForURL(`${url}/sessions?status=running`);
      await page.locator('[data-slot="account"][data-role="admin"]').waitFor();
      // The key is kept nowhere the page can read; the cookie is HttpOnly, SameSite=Strict and names the key without holding it.
      const readable = (await page.evaluate(
        "JSON.stringify([document.cookie, { ...localStorage }, { ...sessionStorage }])",
      )) as string;
      expect(readable).not.toContain(TEST_ADMIN_KEY);
      expect(readable).not.toContain("io_session");
      const cookie = (await page.context().cookies()).find((c) => c.name === "io_session");
      expect(cookie).toMatchObject({ httpOnly: true, sameSite: "Strict" });
      expect(cookie!.value).not.toContain(TEST_ADMIN_KEY);

      // A reload keeps you in (the cookie), on the same page.
      await page.reload();
      await loaded(page);
      expect(page.url()).toBe(`${url}/sessions?status=running`);
      await page.locator('[data-slot="account"][data-role="admin"]').waitFor();

      // Sign out: to the sign-in page, cookie gone, and the dashboard asks again.
      await page.getByRole("button", { name: "Sign out", exact: true }).click();
      await page.waitForURL(`${url}/sign-in`);
      expect((await page.context().cookies()).some((c) => c.name === "io_session")).toBe(false);
      await page.goto(`${url}/agents`);
      await page.waitForURL(`${url}/sign-in?next=%2Fagents`);

      expect(w.errors).toEqual([]);
      expect(w.httpErrors).toEqual([
        { method: "GET", path: "/api/v1/me", status: 401 },
        { method: "POST", path: "/api/v1/auth/login", status: 400 },
        { method: "POST", path: "/api/v1/auth/login", status: 401 },
        { method: "GET", path: "/api/v1/me", status: 401 },
      ]);
    } finally {
      await closePage(w);
    }
  });

  it("(9) an admin creates a viewer key (copied from the dialog) and a user; the audit log shows it; the viewer sees no controls and no tenant switcher; revoking the key signs the viewer out", async () => {
    const { t, w, browser } = suite;
    const url = t.orc.url;
    const { page } = w;
    const long = await t.api.call("createSession", {
      body: {
        title: "e2e guarded",
        prompt: scripted("Think for a long time", [{ sleep_ms: 120_000 }, { text: "done" }]),
      },
    });
    const other = await t.api.call("createTenant", { body: { name: "E2E Other Tenant" } });

    // The key, shown once, copied with the button.
    await page.goto(`${url}/settings/api-keys`);
    await loaded(page);
    await page.getByRole("button", { name: "+ Create key" }).click();
    await page.locator("#key-name").fill("e2e viewer");
    await page.locator("#key-role").selectOption("viewer");
    await screenshot(page, "settings-api-keys-create");
    await page.getByRole("button", { name: "Create key", exact: true }).click();
    const field = page.locator('[data-slot="created-key"]');
    await field.waitFor();
    expect(await page.locator('[data-slot="key-shown-once"]').innerText()).toMatch(/you will not see this key again/i);
    await page.context().grantPermissions(["clipboard-read", "clipboard-write"], { origin: url });
    await page.getByRole("button", { name: "Copy", exact: true }).click();
    await page.getByRole("button", { name: "Copied ✓", exact: true }).waitFor();
    const viewerKey = (await page.evaluate("navigator.clipboard.readText()")) as string;
    expect(viewerKey).toMatch(/^io_\w{12}_/);
    expect(viewerKey).toBe((await field.innerText()).trim());
    await screenshot(page, "settings-api-key-shown-once");
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.getByRole("button", { name: "Done: I have copied it", exact: true }).click();
    const row = page.locator('[data-slot="key-row"][data-key-name="e2e viewer"]');
    await row.waitFor();
    // Gone from the page once the dialog closed.
    expect(await page.content()).not.toContain(viewerKey);
    await screenshot(page, "settings-api-keys");

    // A user: added as a member, then made a lead.
    await page.goto(`${url}/settings/users`);
    await loaded(page);
    await page.getByRole("button", { name: "+ Add user" }).click();
    await page.locator("#user-name").fill("Ada Lovelace");
    await page.locator("#user-email").fill("ada@example.com");
    await page.locator("#user-role").selectOption("member");
    await page.getByRole("button", { name: "Add user", exact: true }).click();
    const ada = page.locator('[data-slot="user-row"][data-user="ada@example.com"]');
    await ada.locator('[data-role="member"]').waitFor();
    await ada.getByRole("button", { name: /^Edit/ }).click();
    await page.locator("#user-role").selectOption("lead");
    await page.getByRole("button", { name: "Save user", exact: true }).click();
    await ada.locator('[data-role="lead"]').waitFor();
    await screenshot(page, "settings-users");

    // The audit log, filtered in the URL, shows the key's creation.
    await page.goto(`${url}/settings/audit?action=createApiKey`);
    await loaded(page);
    const created = page.locator('[data-slot="audit-row"][data-action="createApiKey"]');
    await created.first().waitFor();
    expect(await created.count()).toBe(1);
    expect(await created.innerText()).toContain("201");
    expect(await page.locator('[data-slot="audit-row"]').count()).toBe(1);
    await screenshot(page, "settings-audit");
    await page.setViewportSize({ width: 390, height: 844 });
    await screenshot(page, "settings-audit-phone");
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.setViewportSize({ width: 1280, height: 900 });

    // The admin may stop the long session, and switch tenants: another tenant's sessions list is its own (empty), live.
    await page.goto(`${url}/sessions/${long.id}`);
    await page.locator('[data-slot="status-badge"][data-status="running"]').first().waitFor({ timeout: 120_000 });
    await page.getByRole("button", { name: "Stop", exact: true }).waitFor();
    await page.goto(`${url}/sessions`);
    await loaded(page);
    await page.locator(`[data-session-id="${long.id}"]`).waitFor();
    // The live feed reconnects naming the tenant (?tenantId=), and the server greets it: the tenant was accepted.
    const greeted = new Promise<string>((resolve) =>
      page.on("websocket", (ws) => {
        if (ws.url().includes(`tenantId=${other.id}`))
          ws.on("framereceived", (f) => String(f.payload).includes('"hello"') && resolve(ws.url()));
      }),
    );
    await page.locator("#tenant-switcher").selectOption(other.id);
    await page.getByText("No sessions yet").waitFor();
    await page.locator('[data-slot="tenant-switcher"][data-acting="other"]').waitFor();
    expect(await page.locator('[data-slot="acting-banner"]').innerText()).toContain("E2E Other Tenant");
    expect(await greeted).toContain("/ws/system");
    await page.locator('[data-slot="connection"][data-state="live"]').waitFor({ timeout: 30_000 });
    await screenshot(page, "tenant-switched");
    await page.locator("#tenant-switcher").selectOption(DEFAULT_TENANT_ID);
    await page.locator(`[data-session-id="${long.id}"]`).waitFor();
    expect(await page.locator('[data-slot="acting-banner"]').count()).toBe(0);
    expect(w.errors).toEqual([]);
    expect(w.httpErrors).toEqual([]);

    // The viewer, in a browser of its own: signs in with the copied key, sees the session but no control of it.
    const viewer: WatchedPage = await openPage(browser);
    try {
      const v = viewer.page;
      await v.goto(`${url}/sessions/${long.id}`);
      await v.waitForURL(/\/sign-in\?next=/);
      await submitKey(v, viewerKey);
      await v.waitForURL(`${url}/sessions/${long.id}`);
      await v.locator('[data-slot="account"][data-role="viewer"]').waitFor();
      await v.locator('[data-slot="status-badge"][data-status="running"]').first().waitFor({ timeout: 30_000 });
      await loaded(v);
      expect(await v.getByRole("group", { name: "Session controls" }).count()).toBe(0);
      expect(await v.getByRole("button", { name: "Stop", exact: true }).count()).toBe(0);
      expect(await v.getByText("Follow-up").count()).toBe(0);
      expect(await v.locator('[data-slot="tenant-switcher"]').count()).toBe(0);
      await screenshot(v, "viewer-session");
      await v.goto(`${url}/sessions`);
      await loaded(v);
      await v.locator(`[data-session-id="${long.id}"]`).waitFor();
      expect(await v.getByRole("button", { name: /New session/ }).count()).toBe(0);
      expect(await v.getByRole("checkbox").count()).toBe(0);
      await v.goto(`${url}/settings`);
      await loaded(v);
      const tabs = v.getByRole("navigation", { name: "Settings" });
      expect(await tabs.getByRole("link").allInnerTexts()).toEqual(["TENANTS & ACCESS"]);
      await v.locator('[data-slot="read-only"]').waitFor();
      await screenshot(v, "viewer-settings");

      // Revoked from the admin's table: the viewer's open page is sent to sign in by its sockets, closed with 1008
      // (each asks /me whether the session ended, and its 401 answers). The page's other REST calls are cut off from
      // here on, and /me polls once a minute, so nothing else can be what sends it.
      await v.goto(`${url}/sessions/${long.id}`);
      await v.locator('[data-slot="stream"][data-state="open"]').waitFor({ timeout: 30_000 });
      await v.route(/\/api\/v1\/(?!me$)/, (r) => r.abort());
      await page.goto(`${url}/settings/api-keys`);
      await row.getByRole("button", { name: /^Revoke/ }).click();
      await page.getByRole("button", { name: "Revoke key", exact: true }).click();
      await row.and(page.locator('[data-state="revoked"]')).waitFor();
      await v.waitForURL(`${url}/sign-in?next=${encodeURIComponent(`/sessions/${long.id}`)}`, { timeout: 15_000 });

      expect(viewer.errors).toEqual([]);
      // Refused only on /me: before signing in, and when the sockets asked after the revocation.
      expect(viewer.httpErrors.length).toBeGreaterThan(1);
      expect(new Set(viewer.httpErrors.map((e) => `${e.method} ${e.path} ${e.status}`))).toEqual(
        new Set(["GET /api/v1/me 401"]),
      );
    } finally {
      await closePage(viewer);
    }
    expect(w.errors).toEqual([]);
    expect(w.httpErrors).toEqual([]);
    await t.api.call("stopSession", { params: { id: long.id } }).catch(() => undefined);
  });

  it("(10) with ORCHESTRATOR_AUTH=off (loopback only) the dashboard needs no sign-in and says so loudly", async () => {
    const { browser } = suite;
    const open = await startTestOrchestrator({ env: { ORCHESTRATOR_AUTH: "off" } });
    const w = await openPage(browser);
    try {
      const { page } = w;
      await page.goto(`${open.orc.url}/settings`);
      await loaded(page);
      expect(page.url()).toBe(`${open.orc.url}/settings`);
      expect(await page.locator('[data-slot="auth-off-banner"]').innerText()).toMatch(/authentication is off/i);
      await page.locator('[data-slot="account"][data-auth="off"]').waitFor();
      expect(await page.getByRole("button", { name: "Sign out" }).count()).toBe(0);
      await screenshot(page, "settings-auth-off");
      expect(await seriousA11yViolations(page)).toEqual([]);
      expect(w.errors).toEqual([]);
      expect(w.httpErrors).toEqual([]);
    } finally {
      await closePage(w);
      await open.close();
    }
  });
});
