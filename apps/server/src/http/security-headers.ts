import { createHash, randomBytes } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { join } from "node:path";
import type { FastifyInstance } from "fastify";

/**
 * API answers are data, never pages: nothing in them may load or run, and no
 * site may frame them. Routes that serve a page of their own (/docs) replace
 * the policy; the dashboard's pages get theirs from dashboardSecurityHeaders.
 */
export const API_CSP = "default-src 'none'; frame-ancestors 'none'";

export function registerApiSecurityHeaders(app: FastifyInstance): void {
  app.addHook("onRequest", async (_req, reply) => {
    reply.headers({ "x-content-type-options": "nosniff", "content-security-policy": API_CSP });
  });
}

/**
 * /docs (swagger-ui): its page loads its own scripts and styles from
 * /docs/static and fetches /openapi.json; it runs no inline script (the
 * plugin's csp.json lists no hash) and needs images only as data: URIs, but
 * its bundle injects <style> elements at run time, so styles keep
 * 'unsafe-inline' (CSS runs no code). Given to @fastify/swagger-ui as
 * `staticCSP`, which sets it on its own routes. Its default policy would add
 * `upgrade-insecure-requests` (which breaks it on a plain-http loopback) and
 * `frame-ancestors 'self'`.
 */
export const DOCS_CSP = {
  "default-src": "'self'",
  "base-uri": "'self'",
  "connect-src": "'self'",
  "font-src": "'self' data:",
  "form-action": "'self'",
  "frame-ancestors": "'none'",
  "img-src": "'self' data:",
  "object-src": "'none'",
  "script-src": "'self'",
  "script-src-attr": "'none'",
  "style-src": "'self' 'unsafe-inline'",
};

/** The text of every inline `<script>` (no `src`) in an HTML document. */
export function inlineScripts(html: string): string[] {
  const out: string[] = [];
  for (const m of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi))
    if (!/\bsrc\s*=/i.test(m[1]!) && m[2] !== "") out.push(m[2]!);
  return out;
}

function htmlFiles(dir: string): string[] {
  try {
    return readdirSync(dir, { recursive: true, encoding: "utf8" })
      .filter((f) => f.endsWith(".html"))
      .map((f) => join(dir, f));
  } catch {
    return [];
  }
}

/** `'sha256-…'` of every inline script of the build's prerendered pages (sorted, without repeats). */
export function computePrerenderedScriptHashes(dashboardDir: string): string[] {
  const hashes = new Set<string>();
  for (const file of htmlFiles(join(dashboardDir, ".next", "server", "app")))
    for (const script of inlineScripts(readFileSync(file, "utf8")))
      hashes.add(`'sha256-${createHash("sha256").update(script, "utf8").digest("base64")}'`);
  return [...hashes].sort();
}

/** A Host header we may write into a header of our own (anything else is left out of connect-src). */
const SAFE_HOST = /^([a-z0-9.-]+|\[[0-9a-f:.]+\])(:\d{1,5})?$/i;

/**
 * The dashboard's policy. Next.js bootstraps every page with inline scripts
 * (its RSC payload), so scripts are allowed by hash or nonce, never
 * 'unsafe-inline': the prerendered pages' inline scripts are fixed at build
 * time (their hashes are read from the build), and a page rendered per
 * request gets a fresh nonce, which Next reads from the request's own
 * Content-Security-Policy header and puts on each script it writes. Styles
 * keep 'unsafe-inline': React writes style attributes and Next's error page a
 * <style> block, and CSS cannot run code. WebSockets go to this same host.
 */
export function computeDashboardCsp(input: {
  nonce: string;
  scriptHashes: readonly string[];
  host: string | undefined;
}): string {
  const host = input.host && SAFE_HOST.test(input.host) ? input.host : null;
  // script-src before script-src-attr: Next takes the nonce from the first directive that starts with "script-src".
  return [
    "default-src 'self'",
    // 'report-sample': a refusal names the first characters of what was refused.
    ["script-src 'self'", `'nonce-${input.nonce}'`, ...input.scriptHashes, "'report-sample'"].join(" "),
    "script-src-attr 'none'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    `connect-src 'self'${host ? ` ws://${host} wss://${host}` : ""}`,
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

export type DashboardSecurityHeaders = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * Sets the dashboard's security headers on the raw response (the page is
 * written by Next's handler, past Fastify's reply), and the policy with its
 * nonce on the raw request for Next to read. A policy the client sent is
 * replaced: it must not choose the nonce.
 */
export function dashboardSecurityHeaders(dashboardDir: string): DashboardSecurityHeaders {
  let scriptHashes: string[] | null = null;
  return (req, res) => {
    scriptHashes ??= computePrerenderedScriptHashes(dashboardDir);
    const csp = computeDashboardCsp({
      nonce: randomBytes(16).toString("base64"),
      scriptHashes,
      host: req.headers.host,
    });
    req.headers["content-security-policy"] = csp;
    delete req.headers["content-security-policy-report-only"];
    res.setHeader("content-security-policy", csp);
    res.setHeader("x-content-type-options", "nosniff");
    res.setHeader("x-frame-options", "DENY");
    res.setHeader("referrer-policy", "no-referrer");
  };
}
