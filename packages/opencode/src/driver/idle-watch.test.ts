import { describe, expect, it } from "vitest";
import { IdleWatch } from "./idle-watch";
import type { OcClient } from "./ports";

/** A status list answered by hand: each read waits until the test releases it. */
function statusReads() {
  const pending: ((st: Record<string, { type: string }>) => void)[] = [];
  const client = {
    sessionStatus: () => new Promise<Record<string, { type: string }>>((resolve) => pending.push(resolve)),
  } as unknown as OcClient;
  return { client, answer: (st: Record<string, { type: string }>) => pending.shift()!(st) };
}

const flush = () => new Promise((r) => setImmediate(r));

function watch(client: OcClient) {
  const idle = new IdleWatch({ client: () => client, ocSessionId: () => "oc1", runnerRestarted: () => false });
  idle.newTurn();
  idle.prompted = true;
  idle.busySeen = true;
  return idle;
}

describe("the idle watch after a stream's reconnection", () => {
  it("ends a busy turn the runner no longer lists", async () => {
    const reads = statusReads();
    const idle = watch(reads.client);
    idle.resync();
    reads.answer({});
    await flush();
    expect(idle.via).toBe("resync");
  });

  it("keeps a turn going that the runner still lists", async () => {
    const reads = statusReads();
    const idle = watch(reads.client);
    idle.resync();
    reads.answer({ oc1: { type: "busy" } });
    await flush();
    expect(idle.via).toBe("none");
  });

  it("ignores a read asked before the turn was re-armed (a restarted runner's continuation), even before its prompt", async () => {
    const reads = statusReads();
    const idle = watch(reads.client);
    idle.resync(); // the old stream reconnected to the restarted process, asked while the dead turn was busy
    idle.rearm(); // the attempt follows the restart: the turn goes on
    reads.answer({}); // the restarted process lists no running turn
    await flush();
    expect(idle.via).toBe("none");
    let over = false;
    void idle.wait().then(() => (over = true));
    await flush();
    expect(over).toBe(false);
    idle.mark("session.idle");
    await flush();
    expect(over).toBe(true);
  });

  it("says nothing after a re-arm until the continued turn is seen busy", async () => {
    const reads = statusReads();
    const idle = watch(reads.client);
    idle.rearm();
    idle.resync(); // asked before anything of the continued turn was seen
    reads.answer({});
    await flush();
    expect(idle.via).toBe("none");
    idle.busySeen = true;
    idle.resync();
    reads.answer({});
    await flush();
    expect(idle.via).toBe("resync");
  });

  it("remembers the first cause when the turn is marked over twice", () => {
    const idle = watch(statusReads().client);
    idle.mark("session.idle");
    idle.mark("status poll");
    expect(idle.via).toBe("session.idle");
  });
});
