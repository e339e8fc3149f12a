import { describe, expect, it } from "vitest";
import { backoffMs, withTenant, wsUrl } from "./live-socket";

describe("live socket helpers", () => {
  it("derives the WebSocket URL from the orchestrator URL or the page's origin", () => {
    expect(wsUrl("/ws/system", "https://orch.example.com")).toBe("wss://orch.example.com/ws/system");
    expect(wsUrl("/ws/system", "http://127.0.0.1:8000")).toBe("ws://127.0.0.1:8000/ws/system");
    expect(wsUrl("/ws/sessions/x?after=3", "", { protocol: "https:", host: "a.b" })).toBe(
      "wss://a.b/ws/sessions/x?after=3",
    );
    expect(wsUrl("/ws/system", "", { protocol: "http:", host: "localhost:8000" })).toBe(
      "ws://localhost:8000/ws/system",
    );
  });

  it("backs off quickly at first, then at most 5 s", () => {
    expect([0, 1, 2, 3, 4, 5, 9].map(backoffMs)).toEqual([250, 500, 1000, 2000, 4000, 5000, 5000]);
  });

  it("names the tenant an operator chose, after any query of the endpoint's own", () => {
    const id = "11111111-1111-4111-8111-111111111111";
    expect(withTenant("/ws/system", null)).toBe("/ws/system");
    expect(withTenant("/ws/system", id)).toBe(`/ws/system?tenantId=${id}`);
    expect(withTenant("/ws/sessions/x?after=3", id)).toBe(`/ws/sessions/x?after=3&tenantId=${id}`);
  });
});
