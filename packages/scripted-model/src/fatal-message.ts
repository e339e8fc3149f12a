/**
 * A 400 from the scripted model must fail the OpenCode session at once. But
 * OpenCode (1.18.33, read from its binary) retries any error whose message or
 * body matches a list of "transient" patterns — even the bare digits 503 —
 * and turns "context overflow" wording into a compaction instead of a
 * failure. So every 400 message is neutralised: each match gets an
 * underscore after its first character ("rate limit" → "r_ate limit",
 * "503" → "5_03"), which keeps it readable and stops the match.
 */

/** Wording OpenCode treats as retryable (session/retry.ts and provider error mapping). */
const RETRYABLE: readonly RegExp[] = [
  /429|500|502|503|504|524|529/i,
  /rate increased too quickly|rate[-_ ]?limit|too[-_ ]many[-_ ]requests/i,
  /overloaded|service[-_ ]unavailable|unavailable|internal[-_ ]error|internal server error|server[-_ ]error|provider[-_ ]returned[-_ ]error/i,
  /terminated|fetch failed|failed to fetch|network[-_\s]error|upstream connect|connection (?:error|refused|lost)|socket connection was closed|socket hang up|reset before headers|getaddrinfo|enotfound|eai_again|econnrefused|econnreset|etimedout/i,
  /time ?out|timed out/i,
  /try your request again|retry your request|exhausted|try again|at capacity/i,
];

/** Wording OpenCode reads as a context overflow (it would compact and carry on). */
const OVERFLOW: readonly RegExp[] = [
  /prompt (?:is )?too long/i,
  /request_too_large|request entity too large/i,
  /input is too long/i,
  /exceeds? (?:the )?(?:context|limit|maximum|available)/i,
  /context[-_ ]?(?:length|window|size|overflow)/i,
  /maximum prompt length|reduce the length of the messages/i,
  /too many tokens|token limit|tokens in request/i,
  /input token count/i,
  /^4(?:00|13)\s*(?:status code)?\s*\(no body\)/i,
];

const PATTERNS = [...RETRYABLE, ...OVERFLOW];

/** True when OpenCode would retry (or compact on) an error carrying this text. */
export function looksRetryable(text: string): boolean {
  return PATTERNS.some((p) => p.test(text));
}

/** Rewrites `message` so that `looksRetryable` is false for it. */
export function neutralizeFatalMessage(message: string): string {
  let out = message;
  // Each pass breaks at least one match; a few passes cover overlapping ones.
  for (let pass = 0; pass < 20 && looksRetryable(out); pass++) {
    for (const p of PATTERNS) {
      out = out.replace(
        new RegExp(p.source, p.flags.includes("g") ? p.flags : `${p.flags}g`),
        (m) => `${m.slice(0, 1)}_${m.slice(1)}`,
      );
    }
  }
  return out;
}
