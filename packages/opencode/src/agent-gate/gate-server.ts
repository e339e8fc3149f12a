import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { AgentGate } from "@industrial/core";

/**
 * The replica's agent gate (docs/faults.md, "The agent gate"): the managed
 * runners' plugin asks it, before each model call and each tool, whether the
 * OpenCode session's attempt may still act on this replica. An attempt
 * registers its OpenCode session once it has one; a session nobody
 * registered (the attempt ended, or it was never ours) is told to stop.
 */
export interface AgentGateServer {
  /** `http://127.0.0.1:<port>/<token>`: what the plugin asks. */
  readonly url: string;
  /** Registers an OpenCode session's verdict; returns its removal (which leaves a later registration of the same session alone). */
  register(openCodeSessionId: string, verdict: () => AgentGate): () => void;
  /** The verdict for a session now (`stop` when none is registered). */
  verdict(openCodeSessionId: string): AgentGate;
  close(): Promise<void>;
}

export interface AgentGateOptions {
  /** How long a request is held while the verdict is `wait` (default 5 s): the plugin asks again after. */
  holdMs?: number;
  /** How often a held request re-reads the verdict (default 100 ms). */
  pollMs?: number;
}

export async function startAgentGate(options: AgentGateOptions = {}): Promise<AgentGateServer> {
  const holdMs = options.holdMs ?? 5_000;
  const pollMs = options.pollMs ?? 100;
  const entries = new Map<string, { verdict: () => AgentGate }>();
  // In the path, so only the runners this replica configured can name sessions (a port scan finds nothing to ask).
  const token = randomBytes(16).toString("hex");
  const verdict = (id: string): AgentGate => {
    const entry = entries.get(id);
    if (!entry) return "stop";
    try {
      return entry.verdict();
    } catch {
      return "wait";
    }
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const match = /^\/([0-9a-f]+)\/sessions\/([A-Za-z0-9_-]{1,128})$/.exec(req.url ?? "");
    if (req.method !== "GET" || !match || match[1] !== token) {
      res.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify({ error: "not found" }));
      return;
    }
    const id = match[2]!;
    const until = Date.now() + holdMs;
    let v = verdict(id);
    while (v === "wait" && Date.now() < until && !res.destroyed) {
      await new Promise((r) => setTimeout(r, pollMs));
      v = verdict(id);
    }
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ verdict: v }));
  };

  const server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/${token}`,
    register(id, v) {
      const entry = { verdict: v };
      entries.set(id, entry);
      return () => {
        if (entries.get(id) === entry) entries.delete(id);
      };
    },
    verdict,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
