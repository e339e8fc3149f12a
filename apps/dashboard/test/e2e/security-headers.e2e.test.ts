import { startTestOrchestrator, type TestOrchestrator } from "@industrial/server/testing";
import { TEST_ADMIN_KEY } from "@industrial/testkit";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, screenshot } from "./browser";

/**
 * The Content-Security-Policy of the dashboard and of /docs, as Chromium
 * enforces it: every page must run (Next's inline bootstrap scripts by hash
 * on prerendered pages and by nonce on pages rendered per request, the
 * WebSocket to this host, swagger-ui's own files) and nothing may be
 * refused. No session is run, so no runner is warmed.
 */
/**
 * The one refusal that is expected, by the sample Chrome reports (the first
 * 40 characters of the compiled function): Next's `util` polyfill (in the
 * browser bundle with crypto-browserify, which stands in for
 * @industrial/core's node:crypto) tests for generator functions with
 * `Function("return function*() {}")` inside a try, once, and works without.
 */
const KNOWN_PROBES = new Set(["(function anonymous(\n) {\nreturn function"]);

describe("security headers in Chromium", () => {
  let t: TestOrchestrator;
  let browser: Browser;

  beforeAll(async () => {
    [t, browser] = await Promise.all([startTestOrchestrator(), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  /** A signed-in page that records every CSP violation (the event, and Chrome's console line). */
  async function watchedPage(): Promise<{ page: Page; violations: string[] }> {
    const page = await browser.newPage();
    const violations: string[] = [];
    page.on("console", (m) => {
      if (/Content Security Policy/i.test(m.text())) violations.push(`console: ${m.text()}`);
    });
    page.on("pageerror", (e) => violations.push(`uncaught: ${e.message}`));
    await page.exposeFunction("__reportCsp", (v: string, sample: string) => {
      if (!KNOWN_PROBES.has(sample)) violations.push(v);
    });
    // Init scripts are injected by the browser itself, not by the page: the policy does not apply to them.
    // A string: this file is Node code, without DOM types.
    await page.addInitScript(`document.addEventListener("securitypolicyviolation", (e) =>
      window.__reportCsp(e.violatedDirective + " blocked " + e.blockedURI + " at " + e.sourceFile + ":" + e.lineNumber + ":" + e.columnNumber + " (" + e.sample + ")", e.sample));`);
    const login = await page.request.post(`${t.orc.url}/api/v1/auth/login`, { data: { key: TEST_ADMIN_KEY } });
    expect(login.status()).toBe(200);
    return { page, violations };
  }

  async function expectHydrated(page: Page) {
    // Set by Next's client entry once its scripts ran; __next_f by the inline bootstrap script.
    await expect
      .poll(() => page.evaluate("Boolean(window.next && window.next.version)"), { timeout: 30_000 })
      .toBe(true);
    expect(await page.evaluate("Array.isArray(window.__next_f)")).toBe(true);
  }

  it("a prerendered page (hashes) runs and reacts to clicks, with nothing refused", async () => {
    const { page, violations } = await watchedPage();
    try {
      const res = await page.goto(`${t.orc.url}/sessions`);
      expect(res?.headers()["content-security-policy"]).toMatch(/script-src 'self' 'nonce-[^']+' 'sha256-/);
      // Served from the build as it was prerendered: its inline scripts carry no nonce, their hashes admit them.
      expect(await res?.text()).not.toContain("nonce=");
      await expectHydrated(page);
      await page.getByRole("button", { name: "+ New session" }).first().click();
      await page.locator("#prompt").waitFor({ timeout: 15_000 });
      expect(violations).toEqual([]);
    } catch (e) {
      await screenshot(page, "csp-prerendered-failed").catch(() => undefined);
      throw e;
    } finally {
      await page.close();
    }
  });

  it("a page rendered per request (nonce) runs, fetches its data and opens its WebSocket, with nothing refused", async () => {
    const session = await t.api.call("createSession", {
      body: { title: "csp check", prompt: "held, never run", start: false },
    });
    const { page, violations } = await watchedPage();
    try {
      const sockets: string[] = [];
      page.on("websocket", (ws) => sockets.push(new URL(ws.url()).pathname));
      const res = await page.goto(`${t.orc.url}/sessions/${session.id}`);
      const nonce = /'nonce-([^']+)'/.exec(res?.headers()["content-security-policy"] ?? "")?.[1];
      expect(nonce).toBeTruthy();
      expect(await res?.text()).toContain(`nonce="${nonce}"`);
      await expectHydrated(page);
      await page.getByText("csp check").first().waitFor({ timeout: 30_000 });
      await expect.poll(() => sockets.some((p) => p.startsWith("/ws/")), { timeout: 15_000 }).toBe(true);
      expect(violations).toEqual([]);
    } catch (e) {
      await screenshot(page, "csp-dynamic-failed").catch(() => undefined);
      throw e;
    } finally {
      await page.close();
    }
  });

  it("/docs (swagger-ui under its own policy) renders the API description, with nothing refused", async () => {
    const { page, violations } = await watchedPage();
    try {
      const res = await page.goto(`${t.orc.url}/docs`);
      expect(res?.headers()["content-security-policy"]).toContain("frame-ancestors 'none'");
      await page
        .locator(".swagger-ui .info .title", { hasText: "Industrial Orchestrator API" })
        .waitFor({ timeout: 30_000 });
      await page.locator(".opblock").first().waitFor();
      expect(violations).toEqual([]);
    } catch (e) {
      await screenshot(page, "csp-docs-failed").catch(() => undefined);
      throw e;
    } finally {
      await page.close();
    }
  });
});
