export type ConnectionState = "live" | "reconnecting" | "offline";

export interface ConnectionSnapshot {
  state: ConnectionState;
  /** When the current run of failures began (ms), null while live. */
  failingSince: number | null;
  lastOkAt: number | null;
}

export const OFFLINE_AFTER_MS = 15_000;

export const initialConnection: ConnectionSnapshot = { state: "live", failingSince: null, lastOkAt: null };

/**
 * The sidebar indicator's state machine: any answer from the server is live;
 * failures to reach it read reconnecting, and offline once they have lasted
 * OFFLINE_AFTER_MS (or the browser says it is offline).
 */
export function nextConnection(
  prev: ConnectionSnapshot,
  event: { ok: boolean; at: number; browserOffline?: boolean },
): ConnectionSnapshot {
  if (event.ok) return { state: "live", failingSince: null, lastOkAt: event.at };
  const failingSince = prev.failingSince ?? event.at;
  const state: ConnectionState =
    event.browserOffline || event.at - failingSince >= OFFLINE_AFTER_MS ? "offline" : "reconnecting";
  return { state, failingSince, lastOkAt: prev.lastOkAt };
}

type Listener = () => void;

/** A process-wide store of the connection state (read with useSyncExternalStore). */
export function createConnectionStore() {
  let snap = initialConnection;
  const listeners = new Set<Listener>();
  return {
    get: () => snap,
    report(ok: boolean) {
      const next = nextConnection(snap, {
        ok,
        at: Date.now(),
        browserOffline: typeof navigator !== "undefined" && navigator.onLine === false,
      });
      if (next.state === snap.state && next.failingSince === snap.failingSince) {
        snap = next;
        return;
      }
      snap = next;
      for (const l of listeners) l();
    },
    subscribe(l: Listener) {
      listeners.add(l);
      return () => listeners.delete(l);
    },
  };
}

export const connectionStore = createConnectionStore();

/** A failure that means the server was not reached (not a 4xx answer). */
export function isConnectionFailure(error: unknown): boolean {
  // fetch rejects with a TypeError when the network fails, a DOMException on timeout.
  if (error instanceof TypeError) return true;
  if (typeof DOMException !== "undefined" && error instanceof DOMException)
    return error.name === "TimeoutError" || error.name === "AbortError";
  if (error && typeof error === "object" && "status" in error) {
    const status = (error as { status: number }).status;
    return status === 502 || status === 503 || status === 504;
  }
  return false;
}

/**
 * The live feed's own state (the `/ws/system` socket): once it has opened,
 * the indicator follows it rather than the HTTP probe.
 */
export const socketConnection = createConnectionStore();
let socketEverOpen = false;
let socketOpen = false;

const feedListeners = new Set<Listener>();

export function reportSocket(state: "connecting" | "open" | "closed"): void {
  if (state === "connecting") return;
  const was = socketOpen;
  socketOpen = state === "open";
  if (socketOpen) socketEverOpen = true;
  socketConnection.report(socketOpen);
  if (was !== socketOpen) for (const l of feedListeners) l();
}

/** Whether the live feed is up: views then do not poll what its frames announce. */
export function isFeedLive(): boolean {
  return socketOpen;
}

/** Told when the feed opens or drops (views switch their polling off and on: lib/queries.ts usePoll). */
export function subscribeFeed(l: Listener): () => void {
  feedListeners.add(l);
  return () => feedListeners.delete(l);
}

export function feedEverOpen(): boolean {
  return socketEverOpen;
}
