import { isSessionsRoomEventType, type WsServerMessage } from "@industrial/contracts";
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from "vitest";
import { allEvents, scripted, startTestOrchestrator, waitForStatus, type TestOrchestrator } from "./testing/harness";
import { TestWsClient } from "./testing/ws-client";

let h: TestOrchestrator;
beforeAll(async () => {
  h = await startTestOrchestrator();
});
afterAll(async () => h?.close());

const SESSIONS = 5;
/** Frames a `sessions`-room subscriber may receive: the connection's own, and status-level session frames. */
const CONNECTION_FRAMES = new Set(["hello", "heartbeat"]);
const DERIVED = new Set(["session.completed", "session.failed"]);

/** Six steps of three bash calls each (every call's output fills the log), then the text that ends the turn. */
const chatty = (i: number) =>
  scripted(`stream logs ${i}`, [
    ...Array.from({ length: 6 }, (_, step) => ({
      tools: [
        {
          tool: "bash",
          input: {
            command: `for n in $(seq 1 40); do echo "session ${i} step ${step} line $n"; done`,
            description: "print forty lines",
          },
        },
        { tool: "bash", input: { command: `seq 1 30 | sed 's/^/row /'`, description: "print thirty rows" } },
        {
          tool: "bash",
          input: {
            command: `printf 'a\\nb\\nc\\n' > out-${step}.txt && cat out-${step}.txt`,
            description: "write and read a file",
          },
        },
      ],
    })),
    { text: `session ${i} finished` },
  ]);

const sessionOf = (f: WsServerMessage) => (f.payload as { sessionId?: string }).sessionId;

describe(`the sessions room under load (${process.env.ORCHESTRATOR_TEST_DB})`, () => {
  it("a list page's subscriber receives only status-level frames while 5 sessions stream logs: created, status, tokens, checkpoints, ends — each once", async () => {
    const feed = await TestWsClient.connect(`${h.orc.url}/ws/sessions`);
    onTestFinished(async () => void (await feed.close()));
    await feed.waitFor("hello");

    const created = await Promise.all(
      Array.from({ length: SESSIONS }, (_, i) =>
        h.api.call("createSession", { body: { title: `feed ${i}`, prompt: chatty(i), retry: { maxAttempts: 1 } } }),
      ),
    );
    const ids = new Set(created.map((s) => s.id));
    for (const s of created)
      expect((await waitForStatus(h.api, s.id, ["completed", "failed"], 150_000)).status).toBe("completed");

    // What the logs hold: the streams were real (log lines and tool calls), and which of them are status-level.
    const logs = await Promise.all(created.map((s) => allEvents(h.api, s.id)));
    const streamed = logs.flat().filter((e) => e.type === "session.log" || e.type === "session.tool").length;
    // At least one tool event per bash call (18 a session); measured: 56 log and tool events, 82 in all, per session.
    expect(streamed).toBeGreaterThanOrEqual(SESSIONS * 18);
    const expected = logs.flat().filter((e) => isSessionsRoomEventType(e.type));
    const lastSeq = new Map(
      created.map((s, i) => [s.id, logs[i]!.filter((e) => isSessionsRoomEventType(e.type)).at(-1)!.seq]),
    );
    const seen = () =>
      created.every((s) => feed.frames.some((f) => f.seq === lastSeq.get(s.id) && sessionOf(f) === s.id));
    await feed.until(() => (seen() ? true : null), "every session's last status-level event on /ws/sessions", 10_000);

    // Nothing but status-level frames: no session.log, no session.tool, no file edits.
    const types = feed.frames.map((f) => f.type);
    expect(types.filter((t) => !CONNECTION_FRAMES.has(t) && !DERIVED.has(t) && !isSessionsRoomEventType(t))).toEqual(
      [],
    );

    // Exactly the status-level events of the five logs, each once, in seq order per session; one end per session.
    const mine = feed.frames.filter((f) => f.seq !== undefined && ids.has(sessionOf(f)!));
    const key = (e: { seq: number; type: string }, id: string) => `${id}:${e.seq}:${e.type}`;
    expect(mine.map((f) => key({ seq: f.seq!, type: f.type }, sessionOf(f)!)).sort()).toEqual(
      expected.map((e) => key(e, e.sessionId)).sort(),
    );
    for (const s of created) {
      const seqs = mine.filter((f) => sessionOf(f) === s.id).map((f) => f.seq!);
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    }
    expect(
      feed
        .of("session.completed")
        .map((f) => f.payload.sessionId)
        .sort(),
    ).toEqual([...ids].sort());
    // A bound, so a regression that lets the stream in shows as a number: about 20 frames a session here, where the
    // whole log (what the room carried before) is over 80.
    const frames = feed.frames.filter((f) => !CONNECTION_FRAMES.has(f.type)).length;
    expect(frames).toBe(expected.length + SESSIONS);
    expect(frames).toBeLessThan(streamed);
  }, 240_000);
});
