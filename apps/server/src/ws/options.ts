/** Settings of the WebSocket server; main.ts fills them from config, tests pass their own. */
export interface WsOptions {
  /** Protocol ping and `heartbeat` frame period; a client that misses two pongs in a row is dropped. */
  pingIntervalMs: number;
  /** Per connection: bytes queued in the socket plus live events held during a replay; past it → SLOW_CONSUMER. */
  bufferLimitBytes: number;
  /** `system.stats` / `system.health` period, and how often agent rooms are checked for changes made elsewhere. */
  statsIntervalMs: number;
  /** Largest client frame (larger: the socket is closed with 1009 by ws). */
  maxPayloadBytes: number;
  /** Events read from the log per replay page. */
  replayPageSize: number;
  maxRoomsPerConnection: number;
  /** How long a connection being closed (slow consumer, shutdown) has to finish the close handshake before it is cut. */
  closeGraceMs: number;
  /** A session room that sees a seq skipped waits this long for the missing events before reading them from the log. */
  gapGraceMs: number;
  /** Agent rooms: session starts and ends are gathered for this long before the tenant's agents are re-read. */
  agentRefreshDebounceMs: number;
  /** How often open connections' API keys are re-checked (a revoked key's sockets are closed). */
  keyCheckIntervalMs: number;
}

export function defaultWsOptions() {
  return {
    pingIntervalMs: 30_000,
    bufferLimitBytes: 4 * 1024 * 1024,
    statsIntervalMs: 5_000,
    maxPayloadBytes: 64 * 1024,
    replayPageSize: 500,
    maxRoomsPerConnection: 100,
    closeGraceMs: 5_000,
    agentRefreshDebounceMs: 250,
    gapGraceMs: 25,
    keyCheckIntervalMs: 2_000,
  } satisfies WsOptions;
}
