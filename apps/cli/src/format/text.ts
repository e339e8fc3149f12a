/**
 * Small pure formatters shared by the commands. `now` is always passed in so
 * the tests need no clock.
 */

/** First 8 hex digits, as `ls` shows them and as the branch `orchestrator/<short>` is named. */
export { sessionShortId as shortId } from "@industrial/core";

/** Cuts `text` to `max` columns with an ellipsis, on one line. */
export function truncate(text: string, max: number): string {
  const one = oneLine(text);
  if (one.length <= max) return one;
  return max <= 1 ? one.slice(0, max) : `${one.slice(0, max - 1)}…`;
}

/** Multi-line text on one line: line breaks become ` ↵ ` so `logs` stays one line per event. */
export function oneLine(text: string): string {
  return text.trim().replace(/\s*\r?\n\s*/g, " ↵ ");
}

/** Age of an ISO time relative to `now`, in its largest unit: 42s, 5m, 3h, 2d. */
export function formatAge(iso: string, now: Date): string {
  const seconds = Math.max(0, Math.floor((now.getTime() - Date.parse(iso)) / 1000));
  if (seconds < 60) return `${seconds}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)}h`;
  return `${Math.floor(seconds / 86_400)}d`;
}

/** A duration in seconds as `950ms`, `12.3s`, `4m 05s`, `2h 03m`. */
export function formatDuration(seconds: number): string {
  if (seconds < 1) return `${Math.round(seconds * 1000)}ms`;
  if (seconds < 60) return `${(Math.round(seconds * 10) / 10).toString()}s`;
  const s = Math.floor(seconds);
  const pad = (n: number) => String(n).padStart(2, "0");
  if (s < 3600) return `${Math.floor(s / 60)}m ${pad(s % 60)}s`;
  return `${Math.floor(s / 3600)}h ${pad(Math.floor((s % 3600) / 60))}m`;
}

/** The UTC wall-clock part of an ISO time (`HH:MM:SS`), like the server's logs. */
export function formatClock(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toISOString().slice(11, 19);
}

/** Token counts as people read them: 950, 12.3k, 4.5M. */
export function formatCount(n: number): string {
  if (n < 1000) return String(n);
  if (n < 1_000_000) return `${trimZero(n / 1000)}k`;
  return `${trimZero(n / 1_000_000)}M`;
}
const trimZero = (x: number) => (x >= 100 ? Math.round(x).toString() : (Math.round(x * 10) / 10).toString());

/** US dollars: four decimals below a dollar (model calls are cheap), two above. */
export function formatCost(usd: number): string {
  return usd < 1 ? `$${usd.toFixed(4)}` : `$${usd.toFixed(2)}`;
}
