import { createOpenCodeClient } from "../opencode-client";
import { subscribeEvents } from "../event-stream";
import type { OcTransport } from "./ports";

/** The attempt runner's view of OpenCode, backed by the HTTP client and the SSE subscription. */
export function createOpenCodeTransport(options: { connectTimeoutMs?: number } = {}): OcTransport {
  return {
    client: (baseUrl, directory) => createOpenCodeClient({ baseUrl, directory }),
    subscribe: ({ baseUrl, directory, onEvent, onStatus }) =>
      subscribeEvents({
        baseUrl,
        directory,
        onEvent,
        onStatus: (status) => onStatus(status),
        connectTimeoutMs: options.connectTimeoutMs ?? 20_000,
      }),
  };
}
