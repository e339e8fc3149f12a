import { breakerAdmits, breakerStateAt, coerceError, type Breaker, type Runner } from "@industrial/core";
import { takeRunnerBreaker, updateRunnerStatus, type Database } from "@industrial/db";
import { checkHealth, computeRunnerAuthHeaders, type RunnerLease } from "@industrial/opencode";
import type { Logger } from "pino";

interface RemoteEntry {
  id: string;
  /** The tenant that registered it: its row is written under that tenant. */
  tenantId: string;
  name: string;
  url: string;
  headers: Record<string, string> | undefined;
  healthy: boolean;
  checked: boolean;
  latencyMs: number | null;
  error: string | null;
  breaker: Breaker;
}

/** The basic-auth header of a remote runner with a password (none without). */
export function computeAuthHeaders(password: string | null): Record<string, string> | undefined {
  return password ? computeRunnerAuthHeaders(password) : undefined;
}

/**
 * The remote runners every replica uses: the rows of kind `remote` (from the
 * configuration or registered through the API), re-read and health-checked
 * (`GET /global/health`) on every round of the pool's loop.
 */
export function createRemoteRunners(o: {
  db: Database;
  log: Logger;
  now: () => Date;
  /** A stored (sealed) password → the password; null when it cannot be opened (another server secret). */
  revealPassword: (stored: string) => string | null;
}) {
  const entries = new Map<string, RemoteEntry>();
  const log = o.log;

  return {
    /** Takes the current rows: new remote runners join, deleted ones leave. */
    apply(rows: readonly Runner[]): void {
      const live = new Set<string>();
      for (const row of rows) {
        if (row.kind !== "remote" || !row.url) continue;
        live.add(row.id);
        const e = entries.get(row.id);
        const headers = computeAuthHeaders(row.password === null ? null : o.revealPassword(row.password));
        if (e) Object.assign(e, { name: row.name, url: row.url, headers, breaker: row.breaker });
        else {
          entries.set(row.id, {
            id: row.id,
            tenantId: row.tenantId,
            name: row.name,
            url: row.url,
            headers,
            // Trusted until the first check says otherwise (the check follows at once).
            healthy: row.health !== "unhealthy",
            checked: false,
            latencyMs: null,
            error: null,
            breaker: row.breaker,
          });
          log.info({ runner: row.name, url: row.url }, "remote runner added");
        }
      }
      for (const id of entries.keys())
        if (!live.has(id)) {
          log.info({ runner: entries.get(id)!.name }, "remote runner removed");
          entries.delete(id);
        }
    },

    async check(): Promise<void> {
      await Promise.all(
        [...entries.values()].map(async (e) => {
          const h = await checkHealth(e.url, 2_000, e.headers);
          if (h.healthy !== e.healthy && e.checked)
            log[h.healthy ? "info" : "warn"](
              { runner: e.name, url: e.url, err: h.error },
              h.healthy ? "remote runner healthy again" : "remote runner unhealthy",
            );
          Object.assign(e, { healthy: h.healthy, checked: true, latencyMs: h.latencyMs, error: h.error ?? null });
          await updateRunnerStatus(o.db, e.tenantId, e.id, {
            health: h.healthy ? "healthy" : "unhealthy",
            ...(h.version ? { version: h.version } : {}),
          }).catch((err) => log.warn({ runner: e.name, err: coerceError(err).message }, "runner status write failed"));
        }),
      );
    },

    has: (id: string) => entries.has(id),

    isHealthy(id: string): boolean {
      const e = entries.get(id);
      return e !== undefined && e.healthy && breakerAdmits(e.breaker, o.now());
    },

    async acquire(id: string, maintenance: boolean): Promise<RunnerLease> {
      const e = entries.get(id);
      if (!e) throw new Error(`runner ${id} is not registered (deleted?)`);
      if (!maintenance) {
        if (!e.healthy)
          throw new Error(`remote runner ${e.name} (${e.url}) is unreachable${e.error ? `: ${e.error}` : ""}`);
        const now = o.now();
        if (breakerStateAt(e.breaker, now) !== "closed") {
          const trial = await takeRunnerBreaker(o.db, e.tenantId, id, now);
          if (trial.breaker) e.breaker = trial.breaker;
          if (!trial.admitted) throw new Error(`remote runner ${e.name}'s circuit breaker is open`);
        }
      }
      return { runnerId: e.id, url: e.url, release: () => undefined };
    },

    /** Extra headers for requests to a remote runner's URL (basic auth), if any. */
    headersFor(baseUrl: string): Record<string, string> | undefined {
      for (const e of entries.values()) if (e.url === baseUrl) return e.headers;
      return undefined;
    },

    list() {
      return [...entries.values()].map((e) => ({
        id: e.id,
        name: e.name,
        url: e.url,
        healthy: e.healthy,
        latencyMs: e.latencyMs,
        error: e.error,
      }));
    },
  };
}

export type RemoteRunners = ReturnType<typeof createRemoteRunners>;
