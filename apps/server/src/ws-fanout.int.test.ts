import type { SessionEvent } from "@industrial/core";
import { listEvents } from "@industrial/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestOrchestrator, type TestOrchestrator } from "./testing/harness";
import { appendLogEvents, TestWsClient } from "./testing/ws-client";

let h: TestOrchestrator;
beforeAll(async () => {
  h = await startTestOrchestrator({ env: { ORCHESTRATOR_SCHEDULER: "off" } });
});
afterAll(async () => h?.close());

const EVENTS = 5_000;
const PER_COMMIT = 50;
const EARLY = 80;
const LATE = 20;

const text = (n: number) => `line ${n} ${"·".repeat(n % 97)}`;

describe(`WebSocket fan-out (${process.env.ORCHESTRATOR_TEST_DB})`, () => {
  it("100 clients of one session each receive all 5,000 events exactly once, in order; reconnecting with ?after= ends with the identical sequence", async () => {
    const s = await h.api.call("createSession", { body: { prompt: "a busy session", start: false } });
    const url = (after: number) => `${h.orc.url}/ws/sessions/${s.id}?after=${after}`;
    // Five clients check every frame against the contract; the rest only count (the test process runs the server too).
    const open = async (after: number, i: number) => {
      const c = await TestWsClient.connect(url(after), { validate: i % 20 === 0 });
      c.lastSeq = Math.max(c.lastSeq, after);
      return c;
    };
    const early = await Promise.all(Array.from({ length: EARLY }, (_, i) => open(0, i)));
    await Promise.all(early.map((c) => c.waitFor("replayed")));

    const last = EVENTS + 1;
    const late: Promise<TestWsClient>[] = [];
    /** Five early clients leave mid-stream and come back at once with ?after=. */
    const leavers = early.slice(0, 5);
    const returned = leavers.map(
      (c, i) =>
        new Promise<TestWsClient>((resolve) => {
          c.onFrame = () => {
            if (c.lastSeq < 1000 + i * 300) return;
            c.onFrame = null;
            // Two are cut without a close frame; three close and ignore what still arrives.
            c.stopRecording();
            if (i < 2) c.socket.terminate();
            else c.socket.close();
            resolve(c.closed.then(() => open(c.lastSeq, 1)));
          };
        }),
    );
    const milestones = [
      ...[1000, 2000, 3000, 4000].map((at) => ({
        at,
        run: () => late.push(...Array.from({ length: LATE / 4 }, (_, i) => open(0, i))),
      })),
    ].map((m) => ({ ...m, done: false }));

    const t0 = performance.now();
    // Two writers, like a supervisor and an API request. The second publishes late at times (a slower path
    // after its commit), so live events reach the rooms out of seq order, and once never (as if it died
    // between commit and publish): every room fills that gap from the log when the next events come.
    let next = 0;
    let dropped = false;
    const slowPublish = (events: SessionEvent[]) => {
      if (!dropped && events[0]!.seq > EVENTS / 2) return void (dropped = true);
      if (Math.random() < 0.3) setTimeout(() => h.orc.bus.publish(events), 3);
      else h.orc.bus.publish(events);
    };
    const writer = async (publish?: (events: SessionEvent[]) => void) => {
      while (next < EVENTS) {
        const batch = Array.from({ length: Math.min(PER_COMMIT, EVENTS - next) }, () => text(next++));
        await appendLogEvents(h.orc, s.id, batch, publish);
        // Writers yield between commits, as the supervisor's timed batches do (embedded PGlite answers without yielding to I/O).
        await new Promise((r) => setImmediate(r));
        for (const m of milestones)
          if (!m.done && next >= m.at) {
            m.done = true;
            m.run();
          }
      }
    };
    await Promise.all([writer(), writer(slowPublish)]);
    const produced = performance.now() - t0;

    const stayed = early.slice(5);
    const joined = await Promise.all(late);
    const back = await Promise.all(returned);
    const all = [...stayed, ...joined, ...back];
    expect(all).toHaveLength(EARLY + LATE);
    await Promise.all(all.map((c) => c.until(() => (c.lastSeq >= last ? true : null), `seq ${last}`, 60_000)));
    const delivered = performance.now() - t0;

    // The log is the truth: every client holds exactly its sequence.
    const log = await listEvents(h.orc.db, s.tenantId, s.id, 0, 10_000);
    const expected = log.map((e) => e.seq);
    expect(expected).toEqual(Array.from({ length: last }, (_, i) => i + 1));
    const texts = log.flatMap((e) => (e.type === "session.log" ? [e.payload.text] : []));
    const check = (frames: TestWsClient["frames"]) => {
      const events = frames.filter((f) => f.type.startsWith("session."));
      expect(events.map((f) => f.seq)).toEqual(expected);
      expect(events.flatMap((f) => (f.type === "session.log" ? [f.payload.text] : []))).toEqual(texts);
    };
    for (const c of [...stayed, ...joined]) check(c.frames);
    back.forEach((c, i) => {
      const first = leavers[i]!;
      expect(first.lastSeq).toBeGreaterThan(1);
      expect(first.lastSeq).toBeLessThan(last);
      check([...first.frames, ...c.frames]);
    });
    // The REST log is the same sequence.
    const lastPage = await h.api.call("sessionEvents", { params: { id: s.id }, query: { after: last - 1, limit: 10 } });
    expect(lastPage.lastSeq).toBe(last);

    console.log(
      `[ws-fanout ${process.env.ORCHESTRATOR_TEST_DB}] ${EVENTS} events to ${all.length} clients (${EARLY} early, ${LATE} joining mid-stream, 5 of the early ones reconnecting): produced in ${Math.round(produced)} ms, every client complete ${Math.round(delivered - produced)} ms after the last commit (${Math.round(delivered)} ms in all); ${h.orc.ws.counters.gapReads} gaps read from the log`,
    );
    await Promise.all([...all, ...leavers].map((c) => c.close()));
    // 5–15 s on a quiet machine; the ceiling is for a 2-core machine running other suites too.
  }, 180_000);
});
