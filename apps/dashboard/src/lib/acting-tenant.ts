import { useSyncExternalStore } from "react";

/**
 * The tenant an admin of the default tenant has chosen to act on (the shell's
 * tenant switcher), or null for the key's own. It is sent as `X-Tenant-Id`
 * on API calls (lib/api.ts) and `?tenantId=` on WebSockets
 * (lib/live-socket.ts). It lives in this tab's sessionStorage — not in a
 * cookie, so no other tab or site request carries it, and not in the URL,
 * where every link of the app would have to thread it through — and it
 * survives a reload of the tab. It is an id, never a credential.
 */
const STORAGE_KEY = "io.actingTenant";

type Listener = () => void;
const listeners = new Set<Listener>();
let current: string | null | undefined;

function read(): string | null {
  if (current !== undefined) return current;
  try {
    current = typeof sessionStorage === "undefined" ? null : sessionStorage.getItem(STORAGE_KEY);
  } catch {
    current = null;
  }
  return current;
}

export const actingTenant = {
  get: read,
  /** Chooses a tenant (null: the key's own) and tells every listener. */
  set(id: string | null): void {
    if (read() === id) return;
    current = id;
    try {
      if (id) sessionStorage.setItem(STORAGE_KEY, id);
      else sessionStorage.removeItem(STORAGE_KEY);
    } catch {
      // Storage refused (private mode): the choice lasts until the tab reloads.
    }
    for (const l of listeners) l();
  },
  subscribe(l: Listener): () => void {
    listeners.add(l);
    return () => listeners.delete(l);
  },
};

/** The chosen tenant (null: the key's own), re-rendering on change. */
export function useActingTenant(): string | null {
  return useSyncExternalStore(actingTenant.subscribe, actingTenant.get, () => null);
}
