import {
  createOpencodeClient,
  type Message,
  type OpencodeClient,
  type Part,
  type PermissionRequest,
  type PermissionRuleset,
  type Provider,
  type QuestionRequest,
  type Session,
  type SessionStatus,
} from "@opencode-ai/sdk/v2";
import { raceDeadline } from "@industrial/core";
import { listModelRefs, parseModelRef } from "./model-ref";

/**
 * A thin typed client over the v1 routes the orchestrator uses, built on
 * `@opencode-ai/sdk/v2` (pinned to the server's version). Every call has a
 * timeout and either returns typed data or throws `OpenCodeRequestError`.
 * One client is bound to one directory (`x-opencode-directory`).
 */

/** A failed OpenCode call: which operation, the HTTP status (null when no answer came) and OpenCode's error. */
export class OpenCodeRequestError extends Error {
  override readonly name = "OpenCodeRequestError";
  constructor(
    readonly operation: string,
    readonly status: number | null,
    /** OpenCode's error name (`NotFoundError`, `SessionBusyError`, …) when it sent one. */
    readonly errorName: string | null,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export interface OpenCodeClientOptions {
  /** The server URL, or a getter (a managed runner's URL changes when it restarts). */
  baseUrl: string | (() => string);
  /** Absolute directory every call is scoped to; "" for none (the server's own working directory: calls that need no project, such as deleting a session). */
  directory: string;
  /** Per-call timeout; default 10 s. */
  timeoutMs?: number;
  headers?: Record<string, string>;
  /** Told the outcome of every call (metrics): `op` in snake_case, e.g. `create_session`. */
  observe?: OpenCodeCallObserver;
}

/** `ok`, `error` (an HTTP error answer), `unreachable` (no answer: refused, reset, timed out); a status the caller allows (e.g. 404) is `ok`. */
export type OpenCodeCallObserver = (op: string, result: "ok" | "error" | "unreachable") => void;

export interface PromptInput {
  text: string;
  /** `provider/model`; default: the session's or the config's model. */
  model?: string;
  agent?: string;
  system?: string;
}

/** One message with its parts, as `GET /session/{id}/message` returns them. */
export interface SessionMessage {
  info: Message;
  parts: Part[];
}

export interface ConfigProviders {
  providers: Provider[];
  /** Default model id per provider id. */
  default: Record<string, string>;
}

export interface OpenCodeClient {
  readonly directory: string;
  /** Without a title OpenCode generates one with small_model (one extra, tool-less LLM call). */
  createSession(input: { title?: string; permission?: PermissionRuleset }): Promise<Session>;
  /** Null when the session does not exist. */
  getSession(id: string): Promise<Session | null>;
  /** Deletes the session with its messages and history; false when it did not exist. */
  deleteSession(id: string): Promise<boolean>;
  /** Starts a turn and returns at once (204); progress arrives on the event stream. */
  promptAsync(id: string, input: PromptInput): Promise<void>;
  abort(id: string): Promise<void>;
  messages(id: string): Promise<SessionMessage[]>;
  /** Busy and retrying sessions of the directory; idle ones are absent. */
  sessionStatus(): Promise<Record<string, SessionStatus>>;
  /** Restores files to before the turn of `messageID` (a user message). The session must be idle (else 409). */
  revert(id: string, messageID: string): Promise<Session>;
  unrevert(id: string): Promise<Session>;
  /** False when OpenCode no longer holds the request (answered, or its session ended). */
  replyPermission(requestID: string, reply: "once" | "always" | "reject", message?: string): Promise<boolean>;
  /** Pending permission asks of the directory's sessions (filter by `sessionID`). */
  listPermissions(): Promise<PermissionRequest[]>;
  /** Pending questions of the directory's sessions (filter by `sessionID`). */
  listQuestions(): Promise<QuestionRequest[]>;
  /** One array of chosen labels (or free text) per question, in order; false when the request is gone. */
  replyQuestion(requestID: string, answers: string[][]): Promise<boolean>;
  rejectQuestion(requestID: string): Promise<boolean>;
  /** Frees the server's per-directory instance (memory) once no session of the directory runs. */
  disposeInstance(): Promise<void>;
  configProviders(): Promise<ConfigProviders>;
  /** The `provider/model` refs the server can use, and the configured default model. */
  models(): Promise<{ available: string[]; defaultModel: string | null }>;
  health(): Promise<{ healthy: boolean; version: string }>;
}

type SdkResult<T> = { data?: T; error?: unknown; response?: Response };

function describeError(
  operation: string,
  status: number | null,
  body: unknown,
  cause: unknown,
  timeoutMs: number,
): OpenCodeRequestError {
  if (status === null) {
    const err = cause as { name?: string; message?: string; cause?: { message?: string } } | undefined;
    const why =
      err?.name === "TimeoutError"
        ? `no answer within ${timeoutMs} ms`
        : `${err?.message ?? "request failed"}${err?.cause?.message ? ` (${err.cause.message})` : ""}`;
    return new OpenCodeRequestError(operation, null, null, `OpenCode ${operation}: ${why}`, { cause });
  }
  const b = (typeof body === "object" && body !== null ? body : {}) as {
    name?: unknown;
    _tag?: unknown;
    message?: unknown;
    data?: { message?: unknown };
  };
  const name = typeof b.name === "string" ? b.name : typeof b._tag === "string" ? b._tag : null;
  const detail =
    typeof b.data?.message === "string"
      ? b.data.message
      : typeof b.message === "string"
        ? b.message
        : typeof body === "string" && body
          ? body.slice(0, 300)
          : JSON.stringify(body ?? null).slice(0, 300);
  return new OpenCodeRequestError(
    operation,
    status,
    name,
    `OpenCode ${operation} → ${status}${name ? ` ${name}` : ""}: ${detail}`,
    { cause: body },
  );
}

/** Creates a client bound to one directory. */
export function createOpenCodeClient(options: OpenCodeClientOptions): OpenCodeClient {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const currentUrl = typeof options.baseUrl === "function" ? options.baseUrl : () => options.baseUrl as string;
  let sdk: OpencodeClient | null = null;
  let sdkUrl = "";
  const client = () => {
    const url = currentUrl();
    if (!sdk || url !== sdkUrl) {
      sdk = createOpencodeClient({ baseUrl: url, directory: options.directory, headers: options.headers });
      sdkUrl = url;
    }
    return sdk;
  };

  /** Runs one SDK call with a timeout; `allow` lists statuses returned as null instead of thrown. */
  async function call<T>(
    operation: string,
    run: (c: OpencodeClient, signal: AbortSignal) => Promise<SdkResult<T>>,
    allow: number[] = [],
  ): Promise<T | null> {
    // The SDK copies the signal into a Request of its own, whose link to ours a garbage collection can
    // break (undici): the call then never aborts. So the deadline also ends the wait by itself.
    const result = await raceDeadline(
      timeoutMs,
      (signal) => run(client(), signal).catch((e: unknown): SdkResult<T> => ({ error: e })),
      (reason): SdkResult<T> => ({ error: reason }),
    );
    const status = result.response?.status ?? null;
    const ok = status !== null && (allow.includes(status) || (result.response!.ok && result.error === undefined));
    options.observe?.(operation.replaceAll(" ", "_"), ok ? "ok" : status === null ? "unreachable" : "error");
    if (status !== null && allow.includes(status)) return null;
    if (status === null || !result.response?.ok || result.error !== undefined)
      throw describeError(operation, status, result.error, result.error, timeoutMs);
    return (result.data ?? null) as T | null;
  }
  async function must<T>(
    operation: string,
    run: (c: OpencodeClient, signal: AbortSignal) => Promise<SdkResult<T>>,
  ): Promise<T> {
    const data = await call(operation, run);
    if (data === null) throw new OpenCodeRequestError(operation, null, null, `OpenCode ${operation}: empty answer`);
    return data;
  }

  return {
    directory: options.directory,
    createSession: (input) =>
      must("create session", (c, signal) =>
        c.session.create({ title: input.title, permission: input.permission }, { signal }),
      ),
    getSession: (id) => call("get session", (c, signal) => c.session.get({ sessionID: id }, { signal }), [404]),
    deleteSession: async (id) =>
      (await call("delete session", (c, signal) => c.session.delete({ sessionID: id }, { signal }), [404])) !== null,
    async promptAsync(id, input) {
      const model = input.model ? parseModelRef(input.model) : undefined;
      await call("prompt", (c, signal) =>
        c.session.promptAsync(
          {
            sessionID: id,
            parts: [{ type: "text", text: input.text }],
            model,
            agent: input.agent,
            system: input.system,
          },
          { signal },
        ),
      );
    },
    async abort(id) {
      await call("abort", (c, signal) => c.session.abort({ sessionID: id }, { signal }));
    },
    messages: (id) => must("list messages", (c, signal) => c.session.messages({ sessionID: id }, { signal })),
    sessionStatus: () => must("session status", (c, signal) => c.session.status({}, { signal })),
    revert: (id, messageID) =>
      must("revert", (c, signal) => c.session.revert({ sessionID: id, messageID }, { signal })),
    unrevert: (id) => must("unrevert", (c, signal) => c.session.unrevert({ sessionID: id }, { signal })),
    replyPermission: async (requestID, reply, message) =>
      (await call(
        "reply permission",
        (c, signal) => c.permission.reply({ requestID, reply, message }, { signal }),
        [404],
      )) !== null,
    listPermissions: () => must("list permissions", (c, signal) => c.permission.list({}, { signal })),
    listQuestions: () => must("list questions", (c, signal) => c.question.list({}, { signal })),
    replyQuestion: async (requestID, answers) =>
      (await call("reply question", (c, signal) => c.question.reply({ requestID, answers }, { signal }), [404])) !==
      null,
    rejectQuestion: async (requestID) =>
      (await call("reject question", (c, signal) => c.question.reject({ requestID }, { signal }), [404])) !== null,
    async disposeInstance() {
      await call("dispose instance", (c, signal) => c.instance.dispose({}, { signal }));
    },
    configProviders: () => must("list providers", (c, signal) => c.config.providers({}, { signal })),
    async models() {
      const [providers, config] = await Promise.all([
        must("list providers", (c, signal) => c.config.providers({}, { signal })),
        must("get config", (c, signal) => c.config.get({}, { signal })),
      ]);
      return { available: listModelRefs(providers.providers), defaultModel: config.model ?? null };
    },
    health: () => must("health", (c, signal) => c.global.health({ signal })),
  };
}
