import type { CDPSession, Page } from "playwright-core";

/**
 * A diagnostic for bench/terminal.ts (`BENCH_TERMINAL_TRACE=1`): a Chrome
 * trace of a few seconds of the page, summarised per frame. A frame is the
 * time from one animation frame's callbacks to the next; for those that
 * missed a vsync (over 20 ms) it prints what the page's main thread did in
 * between (task, script, style, layout, paint, GC) and how busy the other
 * threads of the browser were, so a long frame can be blamed on the page's
 * work, on rendering or on a CPU shared with the server.
 */
interface TraceEvent {
  name: string;
  cat: string;
  ph: string;
  ts: number;
  dur?: number;
  pid: number;
  tid: number;
  args?: { name?: string };
}

const CATEGORIES = ["toplevel", "devtools.timeline", "disabled-by-default-devtools.timeline", "blink.user_timing"].join(
  ",",
);

/** What the main thread's time is counted as (an event's own name, nested ones counted in both). */
const KINDS: Record<string, string> = {
  RunTask: "task",
  ThreadControllerImpl_RunTask: "task",
  FunctionCall: "script",
  EvaluateScript: "script",
  FireAnimationFrame: "rAF",
  TimerFire: "timer",
  EventDispatch: "event",
  UpdateLayoutTree: "style",
  Layout: "layout",
  PrePaint: "prepaint",
  Paint: "paint",
  Layerize: "layerize",
  Commit: "commit",
  MinorGC: "gc",
  MajorGC: "gc",
  "V8.GC_SCAVENGER": "gc",
  ResizeObserver: "ro",
  "ResizeObserverController::DeliverObservations": "ro",
  "WebSocket::didReceiveMessage": "ws",
};

export async function startTrace(page: Page): Promise<() => Promise<string>> {
  const cdp: CDPSession = await page.context().newCDPSession(page);
  await cdp.send("Tracing.start", { categories: CATEGORIES, transferMode: "ReturnAsStream" });
  return async () => {
    const done = new Promise<string>((resolve) =>
      cdp.once("Tracing.tracingComplete", (e: { stream?: string }) => resolve(e.stream ?? "")),
    );
    await cdp.send("Tracing.end");
    const handle = await done;
    let text = "";
    for (;;) {
      const chunk = (await cdp.send("IO.read", { handle })) as { data: string; eof: boolean; base64Encoded?: boolean };
      text += chunk.base64Encoded ? Buffer.from(chunk.data, "base64").toString("utf8") : chunk.data;
      if (chunk.eof) break;
    }
    await cdp.send("IO.close", { handle });
    await cdp.detach();
    const parsed = JSON.parse(text) as { traceEvents?: TraceEvent[] } | TraceEvent[];
    return summarise(Array.isArray(parsed) ? parsed : (parsed.traceEvents ?? []));
  };
}

const ms = (us: number) => (us / 1000).toFixed(1);

function summarise(events: TraceEvent[]): string {
  const names = new Map<string, string>();
  for (const e of events)
    if (e.ph === "M" && e.name === "thread_name") names.set(`${e.pid}:${e.tid}`, e.args?.name ?? "");
  const rafs = events.filter((e) => e.name === "FireAnimationFrame" && e.ph === "X");
  if (!rafs.length) return "trace: no animation frames recorded";
  // The page's main thread: the one whose animation frames fire most.
  const byThread = new Map<string, number>();
  for (const e of rafs) byThread.set(`${e.pid}:${e.tid}`, (byThread.get(`${e.pid}:${e.tid}`) ?? 0) + 1);
  const main = [...byThread.entries()].sort((a, b) => b[1] - a[1])[0]![0];
  const onMain = (e: TraceEvent) => `${e.pid}:${e.tid}` === main;
  // Frames: animation-frame callbacks within 4 ms of each other are one frame.
  const starts: number[] = [];
  for (const e of rafs.filter(onMain).sort((a, b) => a.ts - b.ts))
    if (!starts.length || e.ts - starts[starts.length - 1]! > 4000) starts.push(e.ts);
  const complete = events.filter((e) => e.ph === "X" && e.dur !== undefined);
  const mainEvents = complete.filter(onMain);
  const others = complete.filter((e) => !onMain(e) && KINDS[e.name] === "task");

  const within = (list: TraceEvent[], a: number, b: number) => list.filter((e) => e.ts < b && e.ts + e.dur! > a);
  const kinds = (a: number, b: number) => {
    const sum = new Map<string, number>();
    for (const e of within(mainEvents, a, b)) {
      const k = KINDS[e.name];
      if (!k) continue;
      const overlap = Math.min(b, e.ts + e.dur!) - Math.max(a, e.ts);
      sum.set(k, (sum.get(k) ?? 0) + overlap);
    }
    return sum;
  };
  const busyElsewhere = (a: number, b: number) => {
    const sum = new Map<string, number>();
    for (const e of within(others, a, b)) {
      const n = names.get(`${e.pid}:${e.tid}`) ?? `${e.pid}:${e.tid}`;
      sum.set(n, (sum.get(n) ?? 0) + Math.min(b, e.ts + e.dur!) - Math.max(a, e.ts));
    }
    return sum;
  };
  const fmt = (m: Map<string, number>) =>
    [...m.entries()]
      .filter(([, v]) => v >= 300)
      .sort((x, y) => y[1] - x[1])
      .map(([k, v]) => `${k} ${ms(v)}`)
      .join(", ");

  const lines: string[] = [];
  let long = 0;
  const total = new Map<string, number>();
  const longTotal = new Map<string, number>();
  for (let i = 1; i < starts.length; i++) {
    const [a, b] = [starts[i - 1]!, starts[i]!];
    const k = kinds(a, b);
    for (const [n, v] of k) total.set(n, (total.get(n) ?? 0) + v);
    if (b - a <= 20_000) continue;
    long++;
    for (const [n, v] of k) longTotal.set(n, (longTotal.get(n) ?? 0) + v);
    if (lines.length < 25)
      lines.push(`  ${ms(b - a).padStart(6)} ms frame: main [${fmt(k)}] | elsewhere [${fmt(busyElsewhere(a, b))}]`);
  }
  const span = starts[starts.length - 1]! - starts[0]!;
  return [
    `trace: ${starts.length - 1} frames over ${ms(span)} ms, ${long} over 20 ms; main thread ${main} (${names.get(main)})`,
    `  main thread in all frames (ms): ${fmt(total)}`,
    `  main thread in the long frames (ms): ${fmt(longTotal)}`,
    `  elsewhere in all frames (ms): ${fmt(busyElsewhere(starts[0]!, starts[starts.length - 1]!))}`,
    ...lines,
  ].join("\n");
}
