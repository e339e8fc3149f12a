import { request, type IncomingHttpHeaders } from "node:http";
import WebSocket from "ws";

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  /** The body parsed as JSON, or null when it is not JSON. */
  json: unknown;
}

export interface RawRequest {
  method?: string;
  headers?: Record<string, string>;
  body?: unknown;
  /**
   * The client's own address: any of 127.0.0.0/8 reaches a server on
   * 127.0.0.1, so a test can be several callers (each its own rate-limit
   * bucket) from one machine.
   */
  localAddress?: string;
}

/**
 * One HTTP request with nothing added (node:http, not fetch: fetch may not
 * set Host nor choose the local address). A `host` header replaces the one
 * taken from the URL.
 */
export function rawHttp(url: string, options: RawRequest = {}): Promise<RawResponse> {
  const body =
    options.body === undefined
      ? undefined
      : typeof options.body === "string"
        ? options.body
        : JSON.stringify(options.body);
  const headers = { ...(body === undefined ? {} : { "content-type": "application/json" }), ...options.headers };
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: options.method ?? "GET",
        headers,
        ...(options.localAddress ? { localAddress: options.localAddress } : {}),
      },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (text += chunk));
        res.on("end", () => {
          let json: unknown = null;
          try {
            json = text ? (JSON.parse(text) as unknown) : null;
          } catch {
            json = null;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
        });
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

/**
 * Opens a WebSocket with the given headers and reports how the upgrade went:
 * `open` (then closed again at once) or the HTTP status that refused it.
 */
export function wsUpgradeOutcome(
  url: string,
  headers: Record<string, string>,
  localAddress?: string,
): Promise<{ open: true } | { open: false; status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url.replace(/^http/, "ws"), { headers, ...(localAddress ? { localAddress } : {}) });
    ws.on("open", () => {
      ws.terminate();
      resolve({ open: true });
    });
    ws.on("unexpected-response", (req, res) => {
      let body = "";
      res.on("data", (c: Buffer) => (body += c.toString()));
      res.on("end", () => {
        req.destroy();
        resolve({ open: false, status: res.statusCode ?? 0, body });
      });
    });
    ws.on("error", (e) => reject(e));
  });
}
