import { mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { scripted, startTestOrchestrator, waitForStatus, type TestOrchestrator } from "@industrial/server/testing";
import { TEST_ADMIN_KEY } from "@industrial/testkit";
import { chromium, type Browser, type BrowserContextOptions, type Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, beforeEach } from "vitest";

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** Screenshots of every page land here (gitignored; CI keeps them as artifacts). */
export const SCREENSHOT_DIR = join(dirname(fileURLToPath(import.meta.url)), "../../../../artifacts/screenshots");

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
}

export interface WatchedPage {
  page: Page;
  /** Console errors and uncaught exceptions seen so far. */
  errors: string[];
  /** API answers with a status ≥ 400 (method, path, status). */
  httpErrors: { method: string; path: string; status: number }[];
}

/** A signed-in browser's cookies (the HttpOnly session cookie among them), to open pages with. */
export type SignedIn = BrowserContextOptions["storageState"];

/**
 * A page in a context of its own that records every console error, uncaught
 * exception and failed HTTP answer. Chrome's own "Failed to load resource"
 * console lines are checked through `httpErrors` instead, so a test can
 * expect a 400 it caused. With `signedIn`, the context starts with that
 * session cookie; without it, signed out. Close it with closePage.
 */
export async function openPage(
  browser: Browser,
  viewport = { width: 1280, height: 900 },
  signedIn?: SignedIn,
): Promise<WatchedPage> {
  const context = await browser.newContext({ viewport, storageState: signedIn });
  const page = await context.newPage();
  const watched: WatchedPage = { page, errors: [], httpErrors: [] };
  page.on("console", (m) => {
    if (m.type() === "error" && !m.text().startsWith("Failed to load resource"))
      watched.errors.push(`console: ${m.text()}`);
  });
  page.on("pageerror", (e) => watched.errors.push(`uncaught: ${e.message}`));
  page.on("response", (r) => {
    if (r.status() >= 400)
      watched.httpErrors.push({ method: r.request().method(), path: new URL(r.url()).pathname, status: r.status() });
  });
  return watched;
}

/**
 * Waits until no loading skeleton is left on the page. Polled through
 * locators rather than page.waitForFunction: the dashboard's CSP has no
 * 'unsafe-eval', and a waitForFunction predicate is evaluated by eval.
 */
export async function loaded(page: Page): Promise<void> {
  const skeletons = page.locator('[aria-label="Loading"]');
  const deadline = Date.now() + 30_000;
  while ((await skeletons.count()) > 0) {
    if (Date.now() > deadline) throw new Error(`still loading after 30 s: ${page.url()}`);
    await page.waitForTimeout(100);
  }
  await page.waitForTimeout(300);
}

/** Closes a page and its context (its cookies go with it). */
export async function closePage(w: WatchedPage): Promise<void> {
  await w.page.context().close();
}

/**
 * Signs in as a person does: the real sign-in page, the key pasted, back to
 * the overview. Returns the context's cookies for the suite's pages (the
 * server set the session cookie; the page never saw the key again).
 */
export async function signIn(browser: Browser, url: string, key: string = TEST_ADMIN_KEY): Promise<SignedIn> {
  const w = await openPage(browser);
  try {
    await w.page.goto(`${url}/sign-in`);
    await w.page.locator("#key").fill(key);
    await w.page.getByRole("button", { name: "Sign in", exact: true }).click();
    await w.page.waitForURL(`${url}/`);
    await w.page.locator('[data-slot="account"]').waitFor();
    if (w.errors.length || w.httpErrors.length)
      throw new Error(`signing in went wrong: ${JSON.stringify({ errors: w.errors, http: w.httpErrors })}`);
    return await w.page.context().storageState();
  } finally {
    await closePage(w);
  }
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/** Runs axe-core (WCAG 2 A and AA rules) on the page; returns the serious and critical violations. */
export async function seriousA11yViolations(page: Page): Promise<string[]> {
  // Evaluated, not added as an inline <script>: the dashboard's CSP admits only its own scripts (by nonce or hash).
  await page.evaluate(axeSource);
  // A string, evaluated in the page (this file is Node code, without DOM types).
  const violations = (await page.evaluate(
    `axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } }).then((r) => r.violations)`,
  )) as AxeViolation[];
  return violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map(
      (v) =>
        `${v.impact} ${v.id}: ${v.help} — ${v.nodes
          .slice(0, 3)
          .map((n) => n.target.join(" "))
          .join(", ")}`,
    );
}

/**
 * The hooks every browser suite needs: a real orchestrator (its managed
 * runner warmed up: its first start is the slow part on a busy machine, so
 * the flows time the dashboard, not OpenCode's boot) and Chromium for the
 * suite, signed in once through the sign-in page with the test admin key; a
 * fresh watched page per test with that session cookie; a screenshot of a
 * failed test's page. Read `t`, `w`, `browser` and `admin` inside tests
 * (they are set by the hooks).
 */
export function useBrowserSuite(): {
  readonly t: TestOrchestrator;
  readonly w: WatchedPage;
  readonly browser: Browser;
  readonly admin: SignedIn;
} {
  let t: TestOrchestrator;
  let browser: Browser;
  let w: WatchedPage;
  let admin: SignedIn;
  beforeAll(async () => {
    [t, browser] = await Promise.all([startTestOrchestrator(), launchBrowser()]);
    admin = await signIn(browser, t.orc.url);
    const warm = await t.api.call("createSession", {
      body: {
        title: "warm-up",
        prompt: scripted("warm up", [{ text: "ready" }]),
        retry: { maxAttempts: 5, backoffBaseSeconds: 1 },
      },
    });
    await waitForStatus(t.api, warm.id, ["completed"], 170_000);
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });
  beforeEach(async () => {
    w = await openPage(browser, undefined, admin);
  });
  afterEach(async (ctx) => {
    if (ctx.task.result?.state === "fail")
      await screenshot(w.page, `failed-${ctx.task.name.slice(0, 40).replace(/\W+/g, "-")}`).catch(() => undefined);
    await closePage(w);
  });
  return {
    get t() {
      return t;
    },
    get w() {
      return w;
    },
    get browser() {
      return browser;
    },
    get admin() {
      return admin;
    },
  };
}
