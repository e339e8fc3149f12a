import { createConnection, createServer, type Server, type Socket } from "node:net";

export interface TcpProxy {
  /** The loopback port the proxy listens on. */
  readonly port: number;
  /** Connections accepted since start (each forwarded to the target). */
  readonly accepted: number;
  /**
   * An outage: every open connection is cut at once and the port stops
   * listening, so new connections are refused (ECONNREFUSED), as while a
   * server restarts. Resolves when the listener is closed.
   */
  cut(): Promise<void>;
  /** Listens again on the same port. */
  restore(): Promise<void>;
  /** `cut()`, then `restore()` after `ms`. */
  outage(ms: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * A TCP proxy on 127.0.0.1 in front of a server the tests share (PostgreSQL,
 * Redis) that a test may not stop: it cuts and refuses only its own
 * connections, which is what a restart looks like from the client's side.
 */
export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const open = new Set<Socket>();
  let accepted = 0;
  let port = 0;
  let server: Server | null = null;

  const listen = async () => {
    const s = createServer((client) => {
      accepted++;
      const upstream = createConnection({ host: target.host, port: target.port });
      open.add(client).add(upstream);
      const end = () => {
        client.destroy();
        upstream.destroy();
        open.delete(client);
        open.delete(upstream);
      };
      client.on("error", end).on("close", end);
      upstream.on("error", end).on("close", end);
      client.pipe(upstream);
      upstream.pipe(client);
    });
    await new Promise<void>((resolve, reject) => {
      s.once("error", reject);
      s.listen({ host: "127.0.0.1", port }, () => {
        s.off("error", reject);
        resolve();
      });
    });
    port = (s.address() as { port: number }).port;
    server = s;
  };

  const cut = async () => {
    const s = server;
    server = null;
    for (const socket of open) socket.destroy();
    open.clear();
    if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
  };

  await listen();
  return {
    get port() {
      return port;
    },
    get accepted() {
      return accepted;
    },
    cut,
    async restore() {
      if (!server) await listen();
    },
    async outage(ms) {
      await cut();
      await new Promise((r) => setTimeout(r, ms));
      if (!server) await listen();
    },
    close: cut,
  };
}

/** `url` with its host and port replaced by the proxy's (credentials, database and parameters kept). */
export function throughProxy(url: string, proxy: Pick<TcpProxy, "port">): string {
  const u = new URL(url);
  u.hostname = "127.0.0.1";
  u.port = String(proxy.port);
  return u.toString();
}
