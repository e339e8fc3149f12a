import { startDeadline } from "@industrial/core";
import type { z } from "zod";
import { ErrorEnvelope } from "./common";
import { routes, type RouteDef, type Routes } from "./routes";

type In<S> = S extends z.ZodType ? z.input<S> : never;
type Out<S> = S extends z.ZodType ? z.output<S> : never;

export type CallInput<R extends RouteDef> = (R["params"] extends z.ZodType
  ? { params: In<R["params"]> }
  : { params?: never }) &
  (R["query"] extends z.ZodType ? { query?: In<R["query"]> } : { query?: never }) &
  (R["body"] extends z.ZodType ? { body?: In<R["body"]> } : { body?: never });

/** An error answer of the API, with its envelope parsed. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly envelope: ErrorEnvelope["error"],
  ) {
    super(envelope.message);
    this.name = "ApiError";
  }
  get code(): string {
    return this.envelope.code;
  }
}

export interface ApiClientOptions {
  baseUrl: string;
  fetch?: typeof fetch;
  headers?: Record<string, string>;
  timeoutMs?: number;
}

export type ApiClient = {
  call<N extends keyof Routes>(name: N, input?: CallInput<Routes[N]>): Promise<Out<Routes[N]["response"]>>;
  baseUrl: string;
};

/**
 * The typed client the CLI and the dashboard use: request shapes come from
 * the route catalogue and every response is parsed with its schema.
 */
export function createApiClient(options: ApiClientOptions): ApiClient {
  const doFetch = options.fetch ?? fetch;
  const base = options.baseUrl.replace(/\/$/, "");
  return {
    baseUrl: base,
    async call(name, input) {
      const def: RouteDef = routes[name];
      const inp = (input ?? {}) as {
        params?: Record<string, unknown>;
        query?: Record<string, unknown>;
        body?: unknown;
      };
      const path = def.path.replace(/:(\w+)/g, (_, k: string) => encodeURIComponent(String(inp.params?.[k] ?? "")));
      const qs = new URLSearchParams();
      for (const [k, v] of Object.entries(inp.query ?? {})) {
        if (v === undefined) continue;
        for (const item of Array.isArray(v) ? v : [v]) qs.append(k, String(item));
      }
      const url = `${base}${path}${qs.size ? `?${qs}` : ""}`;
      const hasBody = def.method !== "GET" && def.method !== "DELETE";
      const deadline = startDeadline(options.timeoutMs ?? 30_000);
      // Until the body is read: a server that stops mid-answer is timed out too.
      const { res, text } = await (async () => {
        const answer = await doFetch(url, {
          method: def.method,
          headers: { ...(hasBody ? { "content-type": "application/json" } : {}), ...options.headers },
          body: hasBody ? JSON.stringify(inp.body ?? {}) : undefined,
          signal: deadline.signal,
        });
        return { res: answer, text: await answer.text() };
      })().finally(() => deadline.clear());
      let json: unknown = undefined;
      try {
        json = text ? JSON.parse(text) : undefined;
      } catch {
        throw new ApiError(res.status, {
          code: "INTERNAL",
          message: `non-JSON answer (${res.status}): ${text.slice(0, 200)}`,
          requestId: res.headers.get("x-request-id") ?? "",
        });
      }
      if (!res.ok) {
        const env = ErrorEnvelope.safeParse(json);
        throw new ApiError(
          res.status,
          env.success
            ? env.data.error
            : { code: "INTERNAL", message: `HTTP ${res.status}`, requestId: res.headers.get("x-request-id") ?? "" },
        );
      }
      return def.response.parse(json) as never;
    },
  };
}
