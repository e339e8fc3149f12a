import { createServer, type IncomingHttpHeaders, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** One POST as the receiver got it: the raw body (what the signature covers) and its headers. */
export interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  raw: string;
  body: {
    type: string;
    tenantId: string;
    sessionId?: string;
    taskId?: string;
    at: string;
    data: Record<string, unknown>;
  };
  at: number;
}

/** What to answer a request: a status, or `hang` (never answer; the socket stays open until the receiver closes). */
export type Answer = number | "hang";

export interface WebhookReceiver {
  url: string;
  received: Received[];
  /** How the next requests are answered (default: 200); `nth` counts this body's (type, session, task) requests from 1. */
  answer: (r: Received, nth: number) => Answer;
  /** Requests still waiting for an answer (`hang`). */
  hanging(): number;
  close(): Promise<void>;
}

/** A real HTTP server on loopback, the notify webhook's receiver in tests (README, "Notifications"). */
export async function startWebhookReceiver(path = "/hook"): Promise<WebhookReceiver> {
  const held = new Set<ServerResponse>();
  const counts = new Map<string, number>();
  const receiver: WebhookReceiver = {
    url: "",
    received: [],
    answer: () => 200,
    hanging: () => held.size,
    async close() {
      for (const res of held) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const raw = Buffer.concat(chunks).toString("utf8");
      const r: Received = {
        path: req.url ?? "",
        headers: req.headers,
        raw,
        body: JSON.parse(raw) as Received["body"],
        at: Date.now(),
      };
      receiver.received.push(r);
      const key = `${r.body.type} ${r.body.sessionId ?? ""} ${r.body.taskId ?? ""}`;
      const nth = (counts.get(key) ?? 0) + 1;
      counts.set(key, nth);
      const answer = receiver.answer(r, nth);
      if (answer === "hang") {
        held.add(res);
        res.on("close", () => held.delete(res));
        return;
      }
      res.writeHead(answer, { "content-type": "text/plain" }).end(answer < 300 ? "ok" : "no");
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`;
  return receiver;
}
