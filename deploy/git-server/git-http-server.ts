import { spawn } from "node:child_process";
import { createHash, timingSafeEqual } from "node:crypto";
import { existsSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { join } from "node:path";

/**
 * The Helm chart's bundled work remote for trials and staging: git's own
 * smart-HTTP server (`git http-backend`, a CGI program) behind HTTP basic
 * authentication, so that nothing which merely reaches the port (an agent's
 * shell in an orchestrator pod, a pod of another namespace where
 * NetworkPolicies are not enforced) can read or rewrite every session's code.
 * One user, one password (from a Secret); fetch and push both need it.
 * Production points the orchestrator at a git host of its own instead.
 */

export interface GitHttpServerOptions {
  /** The folder holding the bare repositories it serves (`GIT_PROJECT_ROOT`). */
  root: string;
  user: string;
  password: string;
  /** Called with one object per finished request (never a credential). */
  log?: (line: Record<string, unknown>) => void;
}

/** Paths git's smart-HTTP protocol uses; anything else is 404 before git is run. */
const GIT_PATH = /^\/[\w.-]+\.git\/(info\/refs|git-upload-pack|git-receive-pack|HEAD|objects\/.+)$/;

/** Compared as digests, so the comparison takes the same time whatever the lengths. */
function sameSecret(given: string, expected: string): boolean {
  const digest = (s: string) => createHash("sha256").update(s).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/** The `user:password` of a `Basic` Authorization header, or null. */
export function basicCredentials(header: string | undefined): { user: string; password: string } | null {
  const m = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(header ?? "");
  if (!m) return null;
  const decoded = Buffer.from(m[1]!, "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  return colon < 0 ? null : { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/**
 * A CGI response's header block, up to the blank line: the status (`Status:`
 * or 200) and the other headers. null while the block is incomplete.
 */
export function parseCgiHeaders(
  head: Buffer,
): { status: number; headers: [string, string][]; bodyStart: number } | null {
  const text = head.toString("latin1");
  const end = /\r?\n\r?\n/.exec(text);
  if (!end) return null;
  let status = 200;
  const headers: [string, string][] = [];
  for (const line of text.slice(0, end.index).split(/\r?\n/)) {
    const colon = line.indexOf(":");
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim();
    const value = line.slice(colon + 1).trim();
    if (name.toLowerCase() === "status") status = Number.parseInt(value, 10) || 500;
    else headers.push([name, value]);
  }
  return { status, headers, bodyStart: end.index + end[0].length };
}

export function createGitHttpServer(options: GitHttpServerOptions): Server {
  const log = options.log ?? (() => {});
  return createServer((req, res) => {
    const started = Date.now();
    const url = new URL(req.url ?? "/", "http://git.invalid");
    res.on("finish", () =>
      log({ msg: "request", method: req.method, path: url.pathname, status: res.statusCode, ms: Date.now() - started }),
    );
    // Unauthenticated on purpose: the probes' answer says only that the repositories exist.
    if (url.pathname === "/healthz") {
      res.writeHead(existsSync(options.root) ? 200 : 503, { "content-type": "text/plain" }).end("ok\n");
      return;
    }
    const given = basicCredentials(req.headers.authorization);
    if (!given || !sameSecret(`${given.user}:${given.password}`, `${options.user}:${options.password}`)) {
      res
        .writeHead(401, { "www-authenticate": 'Basic realm="work remote"', "content-type": "text/plain" })
        .end("authentication required\n");
      return;
    }
    if (!GIT_PATH.test(url.pathname) || url.pathname.split("/").includes("..")) {
      res.writeHead(404, { "content-type": "text/plain" }).end("not found\n");
      return;
    }
    runBackend(options, req, res, url);
  });
}

/** Runs `git http-backend` for one request: the request body on its stdin, its CGI answer back to the client. */
function runBackend(options: GitHttpServerOptions, req: IncomingMessage, res: ServerResponse, url: URL): void {
  const header = (name: string) => {
    const v = req.headers[name];
    return typeof v === "string" ? v : undefined;
  };
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    GIT_PROJECT_ROOT: options.root,
    // Every repository under the root is served: the root holds only the work remote.
    GIT_HTTP_EXPORT_ALL: "1",
    // Set, it also enables push (http.receivepack's default).
    REMOTE_USER: options.user,
    REMOTE_ADDR: req.socket.remoteAddress ?? "",
    REQUEST_METHOD: req.method ?? "GET",
    PATH_INFO: decodeURIComponent(url.pathname),
    QUERY_STRING: url.search.slice(1),
    CONTENT_TYPE: header("content-type") ?? "",
  };
  // Without CONTENT_LENGTH (a chunked push) http-backend reads the body to its end.
  if (header("content-length")) env.CONTENT_LENGTH = header("content-length")!;
  if (header("content-encoding")) env.HTTP_CONTENT_ENCODING = header("content-encoding")!;
  if (header("git-protocol")) env.GIT_PROTOCOL = header("git-protocol")!;
  const child = spawn("git", ["http-backend"], { env, stdio: ["pipe", "pipe", "pipe"] });
  req.pipe(child.stdin);
  // The client may hang up mid-push; git then gets EPIPE on a body it no longer needs.
  child.stdin.on("error", () => {});
  child.stderr.on("data", (chunk: Buffer) => process.stderr.write(chunk));
  let head: Buffer = Buffer.alloc(0);
  let started = false;
  child.stdout.on("data", (chunk: Buffer) => {
    if (started) {
      res.write(chunk);
      return;
    }
    head = Buffer.concat([head, chunk]);
    const parsed = parseCgiHeaders(head);
    if (!parsed) return;
    started = true;
    res.writeHead(parsed.status, Object.fromEntries(parsed.headers));
    if (head.length > parsed.bodyStart) res.write(head.subarray(parsed.bodyStart));
  });
  child.on("error", (e) => {
    if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" }).end(`git http-backend: ${e.message}\n`);
  });
  child.on("close", () => {
    if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" }).end("git http-backend gave no answer\n");
    else res.end();
  });
  res.on("close", () => {
    if (child.exitCode === null) child.kill("SIGTERM");
  });
}

/** Whether `<root>/<name>` is a bare repository already. */
export function isBareRepository(root: string, name: string): boolean {
  return existsSync(join(root, name, "HEAD")) && existsSync(join(root, name, "objects"));
}
