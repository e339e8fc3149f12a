import { isIP } from "node:net";
import { RateLimitedError } from "@industrial/core";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { toHttpError } from "../http-errors";
import type { RateLimitStore } from "./rate-limit-store";

/**
 * Not limited: probes (a load balancer's health checks, Prometheus) and the
 * dashboard's hashed build assets (immutable files a page load fetches by
 * the dozen; limiting them protects nothing and would break pages first).
 */
const EXEMPT = /^\/(health(\/ready)?|metrics)(\?|$)|^\/_next\/static\//;

export function isRateLimited(url: string): boolean {
  return !EXEMPT.test(url);
}

/** The eight 16-bit groups of an IPv6 address (`::` expanded, an embedded IPv4 tail converted). */
function ipv6Groups(address: string): number[] {
  let text = address.split("%")[0]!;
  const v4 = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (v4) {
    const [a, b, c, d] = v4.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, v4.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.includes("::") ? text.split("::") : [text, null];
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  const middle = tail === null ? [] : Array<string>(8 - left.length - right.length).fill("0");
  return [...left, ...middle, ...right].map((g) => parseInt(g, 16));
}

/**
 * The bucket of a caller without a key: its address. An IPv6 host usually
 * holds a whole /64, so a /64 is one caller (else each of its 2^64 addresses
 * would get a bucket of its own); an IPv4-mapped address is its IPv4.
 */
export function computeAddressBucket(ip: string): string {
  if (isIP(ip) !== 6) return `ip:${ip}`;
  const groups = ipv6Groups(ip);
  const mapped = groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff;
  if (mapped) return `ip:${groups[6]! >> 8}.${groups[6]! & 255}.${groups[7]! >> 8}.${groups[7]! & 255}`;
  return `ip:${groups
    .slice(0, 4)
    .map((g) => g.toString(16))
    .join(":")}::/64`;
}

/** An API key's own bucket; every caller without one (public routes, pages, WebSocket upgrades) is counted by address. */
export function bucketOf(req: FastifyRequest): string {
  return req.caller?.keyId ? `key:${req.caller.keyId}` : computeAddressBucket(req.ip);
}

function refuse(reply: FastifyReply, retryAfterSeconds: number): RateLimitedError {
  reply.header("retry-after", String(retryAfterSeconds));
  return new RateLimitedError(retryAfterSeconds);
}

/**
 * Per-caller token buckets (null: off). Registered before authentication:
 *
 * - preParsing runs after every onRequest hook, so the caller is known (the
 *   key's bucket) and the body is not yet read. Public routes — login above
 *   all — are charged to the address before the key in their body is checked.
 * - A request whose credentials failed never reaches preParsing (the 401 is
 *   thrown in onRequest). onSend charges it to its address, and once that
 *   bucket is empty the answer is 429 instead of 401. The key is still
 *   checked first (a valid key is never refused for its neighbours' wrong
 *   ones; 256 random bits make guessing pointless at any speed), but a flood
 *   of wrong keys is held to the rate of any anonymous caller.
 */
export function registerRateLimit(app: FastifyInstance, store: RateLimitStore | null): void {
  if (!store) return;
  const charged = new WeakSet<FastifyRequest>();
  app.addHook("preParsing", async (req, reply, payload) => {
    if (!isRateLimited(req.url)) return payload;
    charged.add(req);
    const r = await store.take(bucketOf(req));
    if (!r.allowed) throw refuse(reply, r.retryAfterSeconds);
    return payload;
  });
  app.addHook("onSend", async (req, reply, payload) => {
    if (reply.statusCode !== 401 || charged.has(req) || !isRateLimited(req.url)) return payload;
    charged.add(req);
    const r = await store.take(computeAddressBucket(req.ip));
    if (r.allowed) return payload;
    const { status, body } = toHttpError(refuse(reply, r.retryAfterSeconds), req.id);
    reply.code(status).header("content-type", "application/json; charset=utf-8");
    return JSON.stringify(body);
  });
}
