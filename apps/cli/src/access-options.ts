import { z } from "zod";

/**
 * Option values of the access commands: `keys create --expires 30d`,
 * `audit --since 2h`, and a key named by the prefix `keys ls` shows.
 */

const RELATIVE = /^(\d{1,6})([mhdw])$/;
const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 } as const;
/** A calendar date, optionally with a time: what people type; bare numbers ("1") are not dates, though Date.parse says they are. */
const ISO_LIKE = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

export type TimeArg = { ok: true; iso: string } | { ok: false; reason: string };

/**
 * `30d`, `12h`, `90m`, `2w` counted from `now` — forwards for an expiry,
 * backwards for `--since` — or an ISO date / date-time (a date alone is
 * midnight UTC, a time without an offset is local time, as in Date.parse).
 */
export function computeTimeArg(raw: string, now: Date, direction: "after" | "before"): TimeArg {
  const s = raw.trim();
  const rel = RELATIVE.exec(s);
  if (rel) {
    const ms = Number(rel[1]) * UNIT_MS[rel[2] as keyof typeof UNIT_MS];
    if (ms === 0) return { ok: false, reason: "must be more than 0" };
    return { ok: true, iso: new Date(now.getTime() + (direction === "after" ? ms : -ms)).toISOString() };
  }
  const t = ISO_LIKE.test(s) ? Date.parse(s.replace(" ", "T")) : Number.NaN;
  if (Number.isNaN(t))
    return {
      ok: false,
      reason: "must be a duration such as 30d, 12h, 90m, 2w, or an ISO date such as 2027-01-31 or 2027-01-31T18:00Z",
    };
  return { ok: true, iso: new Date(t).toISOString() };
}

/** A zod option of a time: `future` refuses one that is not after `now` (an expiry). */
export function timeOption(now: Date, direction: "after" | "before", opts: { future?: boolean } = {}) {
  return z.string().transform((raw, ctx) => {
    const r = computeTimeArg(raw, now, direction);
    if (!r.ok) {
      ctx.addIssue({ code: "custom", message: r.reason });
      return z.NEVER;
    }
    if (opts.future && Date.parse(r.iso) <= now.getTime()) {
      ctx.addIssue({ code: "custom", message: `must be in the future (it is ${r.iso})` });
      return z.NEVER;
    }
    return r.iso;
  });
}

/**
 * What a person may paste to name a key: its prefix (`abcdefghijkl`), the
 * `io_<prefix>` form `keys ls` shows, or — by mistake — a whole key, whose
 * secret part is dropped here and never sent anywhere.
 */
export function keyPrefixOf(raw: string): string {
  const m = /^io_([a-z2-7]{12})(_.*)?$/.exec(raw.trim());
  return m ? (m[1] as string) : raw.trim();
}
