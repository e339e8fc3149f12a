/** What the attempt runner needs from an OpenCode server (bound to one directory). */
export interface OcClient {
  createSession(input: { title: string }): Promise<{ id: string }>;
  getSession(id: string): Promise<{ id: string } | null>;
  promptAsync(id: string, input: { text: string; model?: string; agent?: string; system?: string }): Promise<void>;
  abort(id: string): Promise<void>;
  messages(id: string): Promise<unknown[]>;
  sessionStatus(): Promise<Record<string, { type: string }>>;
  replyPermission(requestId: string, reply: "once" | "always" | "reject"): Promise<void>;
  revert(id: string, messageId: string): Promise<unknown>;
  disposeInstance(): Promise<void>;
  /** Model refs ("provider/model") the server can use, and its default model if any. */
  models(): Promise<{ available: string[]; defaultModel: string | null }>;
}

export interface OcSubscription {
  /** Resolves once the server confirmed the stream (`server.connected`): prompt only after it. */
  ready: Promise<void>;
  close(): void;
}

export interface OcTransport {
  client(baseUrl: string, directory: string, options?: { timeoutMs?: number }): OcClient;
  subscribe(input: {
    baseUrl: string;
    directory: string;
    onEvent: (event: { type: string; properties: unknown }) => void;
    /** `reconnected`: a connection after a drop (events may have been missed). */
    onStatus: (status: "connected" | "reconnecting", reconnected: boolean) => void;
  }): OcSubscription;
}

/** Finds the OpenCode server for a runner, starting a managed one on demand. */
export interface RunnerResolver {
  resolve(runnerId: string | null): Promise<{ runnerId: string | null; url: string }>;
}
