import { signInHref, SIGN_IN_PATH } from "./sign-in";

let leaving = false;

/**
 * The session ended (a 401 from the API, a WebSocket closed with 1008): go
 * to the sign-in page, which comes back here. A full navigation, so nothing
 * of the signed-out state (queries, sockets) lives on; `replace`, so Back
 * does not return to a page that would only send you here again. Many
 * requests fail at once; the first one leaves.
 */
export function goToSignIn(): void {
  if (leaving || typeof window === "undefined") return;
  const { pathname, search } = window.location;
  if (pathname === SIGN_IN_PATH) return;
  leaveFor(signInHref(`${pathname}${search}`));
}

/**
 * Leaves the app for `path` with a full load (after signing out): requests
 * still in flight that come back 401 then change nothing.
 */
export function leaveFor(path: string): void {
  leaving = true;
  window.location.replace(path);
}
