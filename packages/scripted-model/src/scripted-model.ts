import { appendFileSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as delay } from "node:timers/promises";
import { type ChatMessage, messageText, parseChatRequest, systemPromptText } from "./chat-request";
import { neutralizeFatalMessage } from "./fatal-message";
import { type Answer, completionBody, countAnswerChars, errorBody, streamFrames, type WireMeta } from "./openai-wire";
import { findWorkingDirectory } from "./path-resolution";
import { FAILING_MODELS, planReply, type ReplyPlan } from "./reply-plan";
import { findScript, promptWithoutScript } from "./script";
import { estimateUsage } from "./token-estimate";

/**
 * The scripted model's HTTP server (node:http only). Routes:
 *   POST /v1/chat/completions  the model (SSE when `stream: true`, JSON otherwise)
 *   GET  /v1/models            `scripted-model`, and the models that fail every call (FAILING_MODELS)
 *   GET  /__requests           every recorded request, oldest first
 *   POST /__reset              forget the recorded requests
 * Anything else is a 404 JSON error; bad input is a 4xx JSON error, never a crash.
 */

export interface ScriptedModelOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Default 127.0.0.1: the model is for local tests and demos only. */
  host?: string;
  /** Oldest recorded requests are dropped past this many (default 1000). */
  maxRecordedRequests?: number;
  /**
   * A file that gets one JSON line per request when it arrives and one when
   * it ends (`RequestLogLine`), written synchronously: the log outlives the
   * process even when it is killed, unlike `requests()`. Tests read it to see
   * which conversation (working directory) was served when.
   */
  requestLogFile?: string;
}

/** One line of `requestLogFile`. */
export interface RequestLogLine {
  /** Number of the request in this server's life (its arrival and end lines share it). */
  n: number;
  event: "arrived" | RequestOutcome;
  /** ISO time of the event. */
  at: string;
  workingDirectory: string | null;
  /** The first line of the prompt that holds the script (at most 120 characters), null without one: tells a test whose request it is where the directory does not (a reused folder). */
  label: string | null;
  /** What the model planned: a title, a tool call, a final text, an error. */
  reply: ReplyPlan["kind"];
  /** The script step played (null: a title, or a synthesised step). */
  step: number | null;
}

/** What happened to a recorded request. */
export type RequestOutcome = "pending" | "answered" | "client-closed";

/** One chat-completions request as received, with what the model decided. */
export interface RecordedRequest {
  /** ISO time of arrival. */
  time: string;
  model: string;
  /** Text of all system messages. */
  system: string;
  messages: ChatMessage[];
  /** Names of the tools offered (empty for title requests). */
  tools: string[];
  stream: boolean;
  /** The request's sampling temperature (null when none was sent): proves an agent's temperature reached the model. */
  temperature: number | null;
  /** The working directory found in the system prompt, or null. */
  workingDirectory: string | null;
  reply: ReplyPlan;
  /** `client-closed` when the client went away before the answer (an abort while sleeping). */
  outcome: RequestOutcome;
}

export interface ScriptedModel {
  /** `http://127.0.0.1:<port>/v1`: the provider `baseURL`. */
  baseUrl: string;
  port: number;
  /** A copy of the recorded requests, oldest first. */
  requests(): RecordedRequest[];
  /** Forgets the recorded requests. */
  reset(): void;
  /** Stops listening, cuts open connections and cancels pending sleeps. */
  close(): Promise<void>;
}

export const SCRIPTED_MODEL_ID = "scripted-model";
const MAX_BODY_BYTES = 32 * 1024 * 1024;
// SSE comments keep a long sleep from tripping OpenCode's chunk timeout (300 s).
const KEEPALIVE_MS = 15_000;

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(body));
}

/** Reads the body as text; null when it exceeds the limit. */
async function readBody(req: IncomingMessage): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return null;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** Waits `ms`, calling `tick` every KEEPALIVE_MS; false when `signal` aborted first. */
async function sleep(ms: number, signal: AbortSignal, tick: () => void): Promise<boolean> {
  let remaining = ms;
  while (remaining > 0) {
    const step = Math.min(remaining, KEEPALIVE_MS);
    try {
      await delay(step, undefined, { signal });
    } catch {
      return false;
    }
    remaining -= step;
    if (remaining > 0) tick();
  }
  return !signal.aborted;
}

function urlHost(host: string): string {
  if (host === "0.0.0.0" || host === "::") return "127.0.0.1";
  return host.includes(":") ? `[${host}]` : host;
}

/** Starts the scripted model. */
export async function createScriptedModel(options: ScriptedModelOptions = {}): Promise<ScriptedModel> {
  const host = options.host ?? "127.0.0.1";
  const maxRecorded = options.maxRecordedRequests ?? 1000;
  const recorded: RecordedRequest[] = [];
  const inFlight = new Set<AbortController>();
  let seq = 0;
  let arrivals = 0;
  const logLine = (line: RequestLogLine) => {
    if (options.requestLogFile) appendFileSync(options.requestLogFile, `${JSON.stringify(line)}\n`);
  };

  async function chat(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    if (raw === null)
      return sendJson(res, 413, errorBody("invalid_request_error", `request body over ${MAX_BODY_BYTES} bytes`));
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch (e) {
      return sendJson(
        res,
        400,
        errorBody("invalid_request_error", neutralizeFatalMessage(`malformed JSON body: ${(e as Error).message}`)),
      );
    }
    const parsed = parseChatRequest(body);
    if (!parsed.ok) return sendJson(res, 400, errorBody("invalid_request_error", neutralizeFatalMessage(parsed.error)));
    const request = parsed.request;
    const plan = planReply(request);
    const system = systemPromptText(request.messages);
    const record: RecordedRequest = {
      time: new Date().toISOString(),
      model: request.model,
      system,
      messages: request.messages,
      tools: request.toolNames,
      stream: request.stream,
      temperature: request.temperature,
      workingDirectory: findWorkingDirectory(system),
      reply: plan,
      outcome: "pending",
    };
    recorded.push(record);
    if (recorded.length > maxRecorded) recorded.splice(0, recorded.length - maxRecorded);
    const n = ++arrivals;
    const step = "step" in plan ? plan.step : null;
    const label = scriptLabel(request.messages);
    const logged = (event: RequestLogLine["event"]) =>
      logLine({
        n,
        event,
        at: new Date().toISOString(),
        workingDirectory: record.workingDirectory,
        label,
        reply: plan.kind,
        step,
      });
    logged("arrived");

    if (plan.kind === "invalid-script") {
      record.outcome = "answered";
      logged("answered");
      return sendJson(res, plan.status, errorBody(plan.errorType, plan.message));
    }

    // OpenCode aborts a call by closing the connection: stop sleeping then.
    const abort = new AbortController();
    inFlight.add(abort);
    res.on("close", () => {
      if (!res.writableFinished) abort.abort();
    });
    try {
      const waitMs = plan.kind === "title" ? 0 : plan.waitMs;
      const early = request.stream && plan.kind !== "error" && waitMs > 0;
      if (early) {
        // Headers go out before the sleep so OpenCode's header timeout (300 s) cannot
        // fire; content only comes after it, so an aborted call leaves no output
        // behind. Error steps cannot do this (their status is not 200): a sleep over
        // 300 s before an error step ends in OpenCode's timeout instead.
        res.writeHead(200, {
          "content-type": "text/event-stream",
          "cache-control": "no-cache",
          connection: "keep-alive",
        });
        res.write(": scripted model sleeping\n\n");
      }
      const awake = await sleep(waitMs, abort.signal, () => {
        if (early && !res.destroyed) res.write(": still sleeping\n\n");
      });
      if (!awake) {
        record.outcome = "client-closed";
        return;
      }
      if (plan.kind === "error") {
        record.outcome = "answered";
        return sendJson(
          res,
          plan.status,
          errorBody(plan.errorType, plan.message),
          plan.retryAfterSeconds ? { "retry-after": String(plan.retryAfterSeconds) } : {},
        );
      }
      const answer: Answer =
        plan.kind === "tools" ? { kind: "tools", calls: plan.calls } : { kind: "text", text: plan.text };
      const usage = estimateUsage(request.messages, countAnswerChars(answer));
      seq += 1;
      const meta: WireMeta = {
        id: `chatcmpl-scripted-${seq}`,
        created: Math.floor(Date.now() / 1000),
        model: request.model,
        callIdPrefix: `call_scripted_${seq}`,
      };
      if (!request.stream) {
        record.outcome = "answered";
        return sendJson(res, 200, completionBody(answer, meta, usage));
      }
      if (!res.headersSent)
        res.writeHead(200, {
          "content-type": "text/event-stream",
          "cache-control": "no-cache",
          connection: "keep-alive",
        });
      for (const frame of streamFrames(answer, meta, usage)) {
        if (res.destroyed) break;
        res.write(frame);
      }
      record.outcome = res.destroyed ? "client-closed" : "answered";
      res.end();
    } finally {
      inFlight.delete(abort);
      logged(record.outcome);
    }
  }

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? "/", "http://localhost").pathname;
    const method = req.method ?? "GET";
    if (path === "/v1/chat/completions") {
      if (method === "POST") return chat(req, res);
      return sendJson(res, 405, errorBody("invalid_request_error", `use POST for ${path}`));
    }
    if (method === "GET" && path === "/v1/models") {
      const ids = [SCRIPTED_MODEL_ID, ...Object.keys(FAILING_MODELS)];
      return sendJson(res, 200, {
        object: "list",
        data: ids.map((id) => ({ id, object: "model", created: 0, owned_by: "industrial-orchestrator" })),
      });
    }
    if (method === "GET" && path === "/__requests") return sendJson(res, 200, recorded);
    if (method === "POST" && path === "/__reset") {
      recorded.length = 0;
      return sendJson(res, 200, { ok: true });
    }
    sendJson(res, 404, errorBody("not_found", `no route ${method} ${path}`));
  }

  const server = createServer((req, res) => {
    route(req, res).catch((e: unknown) => {
      // A bug or a torn connection must cost one request, never the server.
      if (!res.headersSent) sendJson(res, 500, errorBody("internal_error", e instanceof Error ? e.message : String(e)));
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;

  return {
    baseUrl: `http://${urlHost(host)}:${port}/v1`,
    port,
    requests: () => recorded.map((r) => ({ ...r })),
    reset: () => {
      recorded.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const a of inFlight) a.abort();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** The first line of the prompt whose script is played (the log's `label`). */
function scriptLabel(messages: readonly ChatMessage[]): string | null {
  const lookup = findScript(messages);
  if (lookup.kind === "none") return null;
  const text = promptWithoutScript(messageText(messages[lookup.anchor]!));
  return text.split("\n")[0]!.slice(0, 120);
}
