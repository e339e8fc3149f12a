import { WsCloseCode } from "@industrial/contracts";
import { listEvents } from "@industrial/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestOrchestrator, type TestOrchestrator } from "./testing/harness";
import { appendLogEvents, TestWsClient } from "./testing/ws-client";

const LIMIT = 256 * 1024;
let h: TestOrchestrator;
beforeAll(async () => {
  h = await startTestOrchestrator({
    env: { ORCHESTRATOR_SCHEDULER: "off", ORCHESTRATOR_WS_BUFFER_LIMIT_BYTES: String(LIMIT) },
  });
});
afterAll(async () => h?.close());

describe(`WebSocket slow consumer (${process.env.ORCHESTRATOR_TEST_DB})`, () => {
  it("a client that stops reading gets SLOW_CONSUMER and 1013 past the limit, others are unaffected, and it resumes from its last seq", async () => {
    const s = await h.api.call("createSession", { body: { prompt: "a chatty session", start: false } });
    const url = (after: number) => `${h.orc.url}/ws/sessions/${s.id}?after=${after}`;
    const slow = await TestWsClient.connect(url(0));
    const healthy = await TestWsClient.connect(url(0), { validate: false });
    await Promise.all([slow.waitFor("replayed"), healthy.waitFor("replayed")]);

    // The slow client stops reading its socket: the kernel's buffers fill, then the server's.
    slow.socket.pause();
    const before = h.orc.ws.counters.slowConsumers;
    const text = "x".repeat(4000);
    // Commits of 40 KB: well under the limit, so a client that reads keeps up with every burst.
    const PER_COMMIT = 10;
    let batches = 0;
    while (h.orc.ws.counters.slowConsumers === before) {
      if (++batches > 2000) throw new Error("never a slow consumer after 80 MB");
      await appendLogEvents(
        h.orc,
        s.id,
        Array.from({ length: PER_COMMIT }, () => text),
      );
      // Let the sockets move between commits (embedded PGlite answers without yielding to I/O).
      await new Promise((r) => setImmediate(r));
    }
    const last = 1 + batches * PER_COMMIT;
    expect(h.orc.ws.counters.slowConsumers).toBe(before + 1);

    // Reading again, it finds an unbroken run of events, then the error, then the close.
    slow.socket.resume();
    const closed = await slow.closed;
    expect(closed.code).toBe(WsCloseCode.SLOW_CONSUMER);
    const error = slow.frames.at(-1)!;
    expect(error.type).toBe("error");
    expect(error.type === "error" && error.payload.code).toBe("SLOW_CONSUMER");
    const got = slow.seqs();
    expect(got).toEqual(Array.from({ length: got.length }, (_, i) => i + 1));
    expect(got.length).toBeLessThan(last);

    // It comes back from its last seq and ends with the whole log, once each.
    const back = await TestWsClient.connect(url(slow.lastSeq), { validate: false });
    await back.until(() => (back.lastSeq >= last ? true : null), `seq ${last}`);
    await healthy.until(() => (healthy.lastSeq >= last ? true : null), `seq ${last}`);
    const log = (await listEvents(h.orc.db, s.tenantId, s.id, 0, 100_000)).map((e) => e.seq);
    expect([...got, ...back.seqs()]).toEqual(log);
    expect(healthy.seqs()).toEqual(log);
    expect(healthy.socket.readyState).toBe(healthy.socket.OPEN);
    console.log(
      `[ws-slow-consumer ${process.env.ORCHESTRATOR_TEST_DB}] limit ${LIMIT} B: cut after ${got.length} of ${last} events (${batches * PER_COMMIT * 4} KB produced)`,
    );
    await Promise.all([back.close(), healthy.close()]);
  });
});
