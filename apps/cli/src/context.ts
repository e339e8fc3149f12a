import { createApiClient, type ApiClient } from "@industrial/contracts";
import { z } from "zod";
import { UsageError } from "./cli-error";
import { createColors, shouldUseColor, type Colors } from "./format/colors";

/** The global options every command inherits (main.ts declares them). */
export interface GlobalOptions {
  url?: string;
  json?: boolean;
  color?: boolean;
}

export const DEFAULT_URL = "http://127.0.0.1:8000";

/**
 * What a command gets: the API client, output helpers that keep `--json`
 * honest (one JSON document on stdout, nothing else), colours, and whether
 * a spinner may be drawn. Built once per invocation from the global options.
 */
export interface CliContext {
  readonly url: string;
  readonly json: boolean;
  /** Colours for stdout; `errColors` for stderr (each stream is judged on its own TTY). */
  readonly colors: Colors;
  readonly errColors: Colors;
  /** A spinner may be drawn: stderr is a terminal and the output is for people. */
  readonly interactive: boolean;
  /** Created on first use, so `start` and `--help` never trip over a bad --url. */
  readonly client: ApiClient;
  /** Human output on stdout; dropped under --json. */
  out(text: string): void;
  /** Progress and notes on stderr; dropped under --json so machine callers see only errors there. */
  note(text: string): void;
  /** The one JSON document of a --json run. */
  emitJson(value: unknown): void;
  now(): Date;
}

export interface ContextIo {
  env: Record<string, string | undefined>;
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
}

const UrlOption = z.url({ protocol: /^https?$/, error: "must be an http(s) URL such as http://127.0.0.1:8000" });

export function createContext(opts: GlobalOptions, io: ContextIo): CliContext {
  const json = opts.json === true;
  const url = opts.url ?? io.env.ORCHESTRATOR_URL ?? DEFAULT_URL;
  const flag = opts.color !== false;
  let client: ApiClient | undefined;
  return {
    url,
    json,
    colors: createColors(shouldUseColor({ flag, json, isTTY: io.stdout.isTTY === true, env: io.env })),
    errColors: createColors(shouldUseColor({ flag, json: false, isTTY: io.stderr.isTTY === true, env: io.env })),
    // nanospinner decides "TTY" from stdout (fd 1) and prints a line per frame
    // otherwise, so both streams must be terminals (and not CI / TERM=dumb).
    // It also divides by the terminal width when it clears: a pty that reports
    // 0 columns (`script`, some CI runners) would make it loop forever.
    interactive:
      !json && io.stdout.isTTY === true && io.stderr.isTTY === true && (io.stderr.columns ?? 0) > 0 && io.env.TERM !== "dumb" && !("CI" in io.env),
    get client() {
      if (!client) {
        const r = UrlOption.safeParse(url);
        if (!r.success) {
          const reason = r.error.issues[0]?.message ?? "invalid URL";
          throw new UsageError(`invalid --url ${JSON.stringify(url)}: ${reason}`, {
            details: [{ path: opts.url === undefined ? "ORCHESTRATOR_URL" : "--url", reason }],
          });
        }
        const token = io.env.ORCHESTRATOR_TOKEN;
        client = createApiClient({ baseUrl: url, ...(token ? { headers: { authorization: `Bearer ${token}` } } : {}) });
      }
      return client;
    },
    out: (text) => {
      if (!json) io.stdout.write(`${text}\n`);
    },
    note: (text) => {
      if (!json) io.stderr.write(`${text}\n`);
    },
    emitJson: (value) => {
      io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
    },
    now: () => new Date(),
  };
}
