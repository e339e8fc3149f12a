import v8 from "node:v8";
import vm from "node:vm";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { waitFor } from "@industrial/testkit";
import { afterEach, describe, expect, it } from "vitest";
import { subscribeEvents, type EventStreamProblem, type EventStreamStatus, type OpenCodeEvent } from "./event-stream";
import { createOpenCodeClient, OpenCodeRequestError } from "./opencode-client";

// The event stream and the client against small local stand-ins for OpenCode,
// to drive the failure paths the real server will not produce on demand:
// garbage on the stream, dropped and silent connections, hanging requests.
// No storage involved: runs once, in the int-pglite project.

const servers: Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
});

async function serve(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const sse = (res: ServerResponse) => res.writeHead(200, { "content-type": "text/event-stream" });
const send = (res: ServerResponse, data: unknown) =>
  res.write(`data: ${typeof data === "string" ? data : JSON.stringify(data)}\n\n`);
const connected = { type: "server.connected", properties: {} };

describe("event stream", () => {
  it("delivers valid events, reports bad ones, reconnects after a drop and stops on abort", async () => {
    let connections = 0;
    const directories: string[] = [];
    const url = await serve((req, res) => {
      connections += 1;
      directories.push(new URL(req.url ?? "/", "http://x").searchParams.get("directory") ?? "");
      sse(res);
      send(res, connected);
      if (connections === 1) {
        send(res, "not json");
        send(res, { type: "session.idle" }); // no properties
        send(res, { type: "session.idle", properties: { sessionID: "ses_1" } });
        setTimeout(() => res.destroy(), 50); // the server drops the stream
      } else {
        send(res, { id: "evt_2", type: "session.idle", properties: { sessionID: "ses_2" } });
      }
    });
    const events: OpenCodeEvent[] = [];
    const problems: EventStreamProblem[] = [];
    const statuses: EventStreamStatus[] = [];
    const abort = new AbortController();
    const sub = subscribeEvents({
      baseUrl: url,
      directory: "/work/a b",
      signal: abort.signal,
      onEvent: (e) => events.push(e),
      onInvalid: (p) => problems.push(p),
      onStatus: (s) => statuses.push(s),
      reconnect: { baseMs: 20, maxMs: 50, jitter: 0 },
    });
    await sub.ready;
    await waitFor(() => events.some((e) => e.properties.sessionID === "ses_2"), "event after reconnect");
    expect(events.map((e) => e.type)).toEqual(["server.connected", "session.idle", "server.connected", "session.idle"]);
    expect(events.at(-1)).toEqual({ id: "evt_2", type: "session.idle", properties: { sessionID: "ses_2" } });
    expect(problems.map((p) => p.kind)).toEqual(["unparseable-json", "invalid-envelope"]);
    expect(statuses).toEqual(["connected", "reconnecting", "connected"]);
    expect(directories).toEqual(["/work/a b", "/work/a b"]);
    abort.abort();
    await sub.done;
  });

  it("treats a silent connection as dead and reconnects", async () => {
    let connections = 0;
    const url = await serve((_req, res) => {
      connections += 1;
      sse(res);
      send(res, connected); // then silence: no heartbeat
    });
    const statuses: EventStreamStatus[] = [];
    const sub = subscribeEvents({
      baseUrl: url,
      directory: "/d",
      onEvent: () => {},
      onStatus: (s) => statuses.push(s),
      idleTimeoutMs: 200,
      reconnect: { baseMs: 10, maxMs: 10, jitter: 0 },
    });
    await sub.ready;
    await waitFor(() => connections >= 2 && statuses.length >= 3, "a second connection", { timeoutMs: 3_000 });
    expect(statuses.slice(0, 3)).toEqual(["connected", "reconnecting", "connected"]);
    sub.close();
    await sub.done;
  });

  it("gives up on a connection that hangs before server.connected and tries again", async () => {
    let connections = 0;
    const url = await serve((_req, res) => {
      connections += 1;
      if (connections === 1) return; // like a server in its first ~250 ms: accepts, never answers
      sse(res);
      send(res, connected);
    });
    const sub = subscribeEvents({
      baseUrl: url,
      directory: "/d",
      onEvent: () => {},
      handshakeTimeoutMs: 200,
      reconnect: { baseMs: 10, maxMs: 10, jitter: 0 },
    });
    await sub.ready;
    expect(connections).toBe(2);
    sub.close();
    await sub.done;
  });

  it("rejects ready when server.connected never comes, and stops", async () => {
    const url = await serve((_req, res) => sse(res));
    const sub = subscribeEvents({ baseUrl: url, directory: "/d", onEvent: () => {}, connectTimeoutMs: 200 });
    await expect(sub.ready).rejects.toThrow(/no server.connected/);
    await sub.done;
  });

  it("asks for its headers at every connection: a runner whose password changed is reached with the new one", async () => {
    let password = "first";
    const seen: (string | undefined)[] = [];
    const url = await serve((req, res) => {
      seen.push(req.headers.authorization);
      if (req.headers.authorization !== `Basic ${password}`) return void res.writeHead(401).end();
      sse(res);
      send(res, connected);
      if (password === "first") setTimeout(() => res.destroy(), 20);
    });
    const statuses: EventStreamStatus[] = [];
    const sub = subscribeEvents({
      baseUrl: url,
      directory: "/d",
      headers: () => ({ authorization: `Basic ${password}` }),
      onEvent: () => {},
      onStatus: (s) => statuses.push(s),
      reconnect: { baseMs: 10, maxMs: 10, jitter: 0 },
    });
    await sub.ready;
    password = "second"; // the server's, and the getter's, before the drop
    await waitFor(() => statuses.length >= 3, "the reconnection");
    expect(statuses).toEqual(["connected", "reconnecting", "connected"]);
    expect(seen).toEqual(["Basic first", "Basic second"]);
    sub.close();
    await sub.done;
  });

  it("keeps retrying a refused connection until closed, without an unhandled rejection", async () => {
    const url = await serve((_req, res) => res.writeHead(503).end());
    const statuses: EventStreamStatus[] = [];
    const sub = subscribeEvents({
      baseUrl: url,
      directory: "/d",
      onEvent: () => {},
      onStatus: (s) => statuses.push(s),
      reconnect: { baseMs: 10, maxMs: 20, jitter: 0 },
    });
    await new Promise((r) => setTimeout(r, 150));
    expect(statuses).toEqual(["reconnecting"]); // once per outage, not per attempt
    sub.close();
    await sub.done;
    await expect(sub.ready).rejects.toThrow(/closed before server.connected/);
  });
});

describe("client errors", () => {
  it("times out a hanging call with a clear error", async () => {
    const url = await serve(() => {
      // never answers
    });
    const client = createOpenCodeClient({ baseUrl: url, directory: "/d", timeoutMs: 200 });
    const error = await client.sessionStatus().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenCodeRequestError);
    expect(error).toMatchObject({
      operation: "session status",
      status: null,
      message: "OpenCode session status: no answer within 200 ms",
    });
  });

  it("times out a hanging call even when a garbage collection comes in between", async () => {
    // AbortSignal.timeout is held weakly and the SDK copies it into a new Request: after a GC the
    // call used to wait forever (a 120 s hang in the full suite). The client's deadline is held strongly.
    v8.setFlagsFromString("--expose-gc");
    const gc = vm.runInNewContext("gc") as () => void;
    const url = await serve(() => {
      // never answers
    });
    const client = createOpenCodeClient({ baseUrl: url, directory: "/d", timeoutMs: 300 });
    const pending = client.sessionStatus().catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 50));
    gc();
    const error = await Promise.race([
      pending,
      new Promise((r) => setTimeout(() => r("still waiting after 5 s"), 5000)),
    ]);
    expect(error).toMatchObject({
      operation: "session status",
      message: "OpenCode session status: no answer within 300 ms",
    });
  });

  it("carries OpenCode's status, error name and message", async () => {
    const url = await serve((_req, res) => {
      res.writeHead(409, { "content-type": "application/json" });
      res.end(JSON.stringify({ name: "SessionBusyError", data: { message: "Session ses_1 is busy" } }));
    });
    const error = await createOpenCodeClient({ baseUrl: url, directory: "/d" })
      .revert("ses_1", "msg_1")
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      status: 409,
      errorName: "SessionBusyError",
      message: "OpenCode revert → 409 SessionBusyError: Session ses_1 is busy",
    });
  });

  it("reports an unreachable server", async () => {
    const url = await serve(() => {});
    servers.pop()?.close();
    await new Promise((r) => setTimeout(r, 20));
    const error = await createOpenCodeClient({ baseUrl: url, directory: "/d", timeoutMs: 2_000 })
      .health()
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ status: null, message: expect.stringMatching(/^OpenCode health: fetch failed/) });
  });
});
