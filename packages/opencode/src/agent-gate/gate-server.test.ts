import type { AgentGate } from "@industrial/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAgentGate, type AgentGateServer } from "./gate-server";

// The gate's HTTP side, as the runners' plugin asks it (real loopback HTTP, no OpenCode).
let gate: AgentGateServer;
beforeAll(async () => {
  gate = await startAgentGate({ holdMs: 600, pollMs: 20 });
});
afterAll(async () => gate?.close());

const ask = async (id: string, url = gate.url) => {
  const res = await fetch(`${url}/sessions/${id}`);
  return { status: res.status, body: (await res.json()) as { verdict?: AgentGate } };
};

describe("agent gate server", () => {
  it("answers a registered session's verdict, and stop for one nobody registered", async () => {
    const off = gate.register("ses_a", () => "go");
    expect(await ask("ses_a")).toEqual({ status: 200, body: { verdict: "go" } });
    expect(await ask("ses_unknown")).toEqual({ status: 200, body: { verdict: "stop" } });
    off();
    expect(await ask("ses_a")).toEqual({ status: 200, body: { verdict: "stop" } });
  });

  it("holds a request while the verdict is wait, answering as soon as it changes, or wait after the hold", async () => {
    let v: AgentGate = "wait";
    const off = gate.register("ses_b", () => v);
    const started = Date.now();
    expect((await ask("ses_b")).body.verdict).toBe("wait");
    expect(Date.now() - started).toBeGreaterThanOrEqual(550);
    const pending = ask("ses_b");
    setTimeout(() => (v = "go"), 100);
    expect((await pending).body.verdict).toBe("go");
    off();
  });

  it("a later registration of the same session outlives the removal of an earlier one", async () => {
    const first = gate.register("ses_c", () => "stop");
    const second = gate.register("ses_c", () => "go");
    first();
    expect(gate.verdict("ses_c")).toBe("go");
    second();
    expect(gate.verdict("ses_c")).toBe("stop");
  });

  it("a verdict that throws is wait, never go", async () => {
    const off = gate.register("ses_d", () => {
      throw new Error("boom");
    });
    expect(gate.verdict("ses_d")).toBe("wait");
    off();
  });

  it("only its own token's path answers: other paths, methods and malformed ids are 404", async () => {
    const wrongToken = gate.url.replace(/\/[0-9a-f]+$/, "/00000000000000000000000000000000");
    expect((await ask("ses_a", wrongToken)).status).toBe(404);
    expect((await fetch(`${gate.url}/sessions/ses_a`, { method: "POST" })).status).toBe(404);
    expect((await fetch(`${gate.url}/sessions/${encodeURIComponent("../x")}`)).status).toBe(404);
    expect((await fetch(`${gate.url}/other`)).status).toBe(404);
  });
});
