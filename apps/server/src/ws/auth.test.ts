import { describe, expect, it } from "vitest";
import { selectProtocol, tokenOf } from "./auth";

describe("WebSocket token and subprotocol", () => {
  it("takes ?token= first, then a bearer subprotocol, then any other offered one", () => {
    expect(tokenOf({ token: "q" }, { "sec-websocket-protocol": "orchestrator.v1, bearer.p" })).toBe("q");
    expect(tokenOf({}, { "sec-websocket-protocol": "orchestrator.v1, bearer.p" })).toBe("p");
    expect(tokenOf({}, { "sec-websocket-protocol": "rawkey" })).toBe("rawkey");
    expect(tokenOf({ token: "" }, {})).toBeNull();
    expect(tokenOf(undefined, { "sec-websocket-protocol": "orchestrator.v1" })).toBeNull();
    expect(tokenOf({}, { "sec-websocket-protocol": "bearer." })).toBeNull();
  });

  it("selects ours when offered, and never echoes a key back", () => {
    expect(selectProtocol(new Set(["bearer.k", "orchestrator.v1"]))).toBe("orchestrator.v1");
    expect(selectProtocol(new Set(["bearer.k"]))).toBe(false);
    expect(selectProtocol(new Set())).toBe(false);
  });
});
