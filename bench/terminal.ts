import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { chromium } from "playwright-core";
import { createDashboardHandler, DEFAULT_DASHBOARD_DIR } from "@industrial/server";
import { percentile } from "./percentile";

/**
 * `npm run bench:terminal`: the live terminal with 100 000 lines in headless
 * Chromium (needs `npm run build:dashboard` and /usr/bin/chromium). Reports
 * the time to the first painted rows, frame times while scrolling through the
 * whole log, and the page's JS heap. A benchmark, not a test: it prints.
 */
const LINES = Number(process.env.BENCH_TERMINAL_LINES ?? 100_000);

const handler = createDashboardHandler({ dir: DEFAULT_DASHBOARD_DIR, log: () => undefined });
if (!handler) throw new Error("the dashboard is not built: npm run build:dashboard");
const server = createServer((req, res) => void handler.handle(req, res));
await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--enable-precise-memory-info",
  ],
});
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(`${url}/bench/terminal?lines=0`); // warm the server and the page's code
  await page.goto(`${url}/bench/terminal?lines=${LINES}`);
  await page.waitForFunction(`performance.getEntriesByName("terminal-ready").length > 0`, undefined, {
    timeout: 120_000,
  });
  const firstPaintMs = (await page.evaluate(`performance.getEntriesByName("terminal-ready")[0].startTime`)) as number;
  const rows = (await page.locator('[data-slot="term-line"]').count()) as number;
  // Scroll from top to bottom in 240 frames, recording every frame's duration.
  const frames = (await page.evaluate(`new Promise((resolve) => {
    const el = document.querySelector('[role="log"]');
    el.scrollTop = 0;
    const steps = 240, step = (el.scrollHeight - el.clientHeight) / steps, times = [];
    let i = 0, last = performance.now();
    const tick = (now) => {
      times.push(now - last); last = now;
      if (i++ >= steps) return resolve(times.slice(1));
      el.scrollTop = i * step;
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  })`)) as number[];
  // Baseline: the same number of frames with nothing to do, on this machine, now.
  const idle = (await page.evaluate(`new Promise((resolve) => {
    const times = []; let i = 0, last = performance.now();
    const tick = (now) => { times.push(now - last); last = now; if (i++ >= 240) return resolve(times.slice(1)); requestAnimationFrame(tick); };
    requestAnimationFrame(tick);
  })`)) as number[];
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Performance.enable");
  await cdp.send("HeapProfiler.collectGarbage");
  const { metrics } = (await cdp.send("Performance.getMetrics")) as { metrics: { name: string; value: number }[] };
  const heap = metrics.find((m) => m.name === "JSHeapUsedSize")?.value ?? NaN;
  const pct = (p: number) => percentile(frames, p);
  console.log(`terminal: ${LINES} events in the virtualised log (${rows} rows in the DOM)`);
  console.log(`  first paint of the rows        ${firstPaintMs.toFixed(0).padStart(7)} ms after navigation`);
  console.log(
    `  baseline: idle frame time p50 / p95   ${percentile(idle, 50).toFixed(1)} / ${percentile(idle, 95).toFixed(1)} ms (headless Chromium, no GPU, this machine now)`,
  );
  console.log(
    `  scroll frame time p50 / p95 / max     ${pct(50).toFixed(1)} / ${pct(95).toFixed(1)} / ${pct(100).toFixed(1)} ms over ${frames.length} frames, top to bottom`,
  );
  console.log(`  ratio scroll p50 / idle p50 ${(pct(50) / percentile(idle, 50)).toFixed(2)}`);
  console.log(`  JS heap used after GC          ${(heap / 1024 / 1024).toFixed(1).padStart(7)} MiB`);
} finally {
  await browser.close();
  server.close();
  await handler.close();
}
process.exit(0);
