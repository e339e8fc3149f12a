/** The sign-in page's path (outside the dashboard's shell). */
export const SIGN_IN_PATH = "/sign-in";

// A base that no real request has: a `next` that resolves to another origin
// against it was not a path of this site.
const PROBE = "http://same-site.invalid";

/**
 * Where to go after signing in: a path of this site, or `/`. Only a relative
 * path that starts with one `/` is taken — `//evil.example`, `/\evil`,
 * `https://…`, `javascript:` and anything with control characters resolve
 * elsewhere or are refused — so `?next=` can never send a signed-in person
 * to another site (an open redirect). The sign-in page itself is never a
 * destination (it would loop).
 */
export function safeNext(raw: string | null | undefined): string {
  if (typeof raw !== "string" || raw.length === 0 || raw.length > 2000) return "/";
  if (!raw.startsWith("/") || raw.startsWith("//") || raw.includes("\\")) return "/";
  // Browsers drop tabs and newlines from URLs, which could join `/` and `/evil` into `//evil`.
  if ([...raw].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f || /\s/.test(c))) return "/";
  let url: URL;
  try {
    url = new URL(raw, PROBE);
  } catch {
    return "/";
  }
  if (url.origin !== PROBE) return "/";
  if (url.pathname === SIGN_IN_PATH || url.pathname.startsWith(`${SIGN_IN_PATH}/`)) return "/";
  return `${url.pathname}${url.search}${url.hash}`;
}

/** The sign-in page's address that comes back to `current` (a path with its query). */
export function signInHref(current: string): string {
  const next = safeNext(current);
  return next === "/" ? SIGN_IN_PATH : `${SIGN_IN_PATH}?next=${encodeURIComponent(next)}`;
}
