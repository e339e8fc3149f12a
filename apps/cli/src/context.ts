import { homedir } from "node:os";
import { createApiClient, type ApiClient } from "@industrial/contracts";
import { z } from "zod";
import { UsageError } from "./cli-error";
import { chooseCredential, parseTenantOption, type CredentialSource } from "./credential-choice";
import { credentialsPath, findCredential, readCredentials } from "./credentials";
import { createColors, shouldUseColor, type Colors } from "./format/colors";

/** The global options every command inherits (main.ts declares them). */
export interface GlobalOptions {
  url?: string;
  json?: boolean;
  color?: boolean;
  /** An API key on the command line (it lands in shell history; `login` and ORCHESTRATOR_TOKEN do not). */
  token?: string;
  /** X-Tenant-Id: the tenant an admin of the default tenant acts in. */
  tenant?: string;
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
  /**
   * Created on first use, so `start` and `--help` never trip over a bad --url
   * or an unreadable credentials file. Sends the chosen key (--token, else
   * ORCHESTRATOR_TOKEN, else the one `login` stored for this URL) and
   * X-Tenant-Id when --tenant / ORCHESTRATOR_TENANT is set.
   */
  readonly client: ApiClient;
  /** Where the key of `client` came from; undefined until `client` was first used. */
  readonly credentialSource: CredentialSource | undefined;
  /** The file `login` writes (XDG_CONFIG_HOME honoured). */
  readonly credentialsPath: string;
  /** What would be sent instead of a stored key (`login` says so after storing one). */
  readonly overridingCredential: "--token" | "ORCHESTRATOR_TOKEN" | null;
  /** A client that sends exactly this key and no tenant header (`login` checks a key with it before storing it). */
  clientWithKey(key: string): ApiClient;
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
  /** The home directory (default: the OS's), under which ~/.config lives. */
  home?: string;
  /** For tests of what is sent (default: the global fetch). */
  fetch?: typeof fetch;
}

const UrlOption = z.url({ protocol: /^https?$/, error: "must be an http(s) URL such as http://127.0.0.1:8000" });

export function createContext(opts: GlobalOptions, io: ContextIo): CliContext {
  const json = opts.json === true;
  const url = opts.url ?? io.env.ORCHESTRATOR_URL ?? DEFAULT_URL;
  const flag = opts.color !== false;
  const path = credentialsPath(io.env, io.home ?? homedir());
  let client: ApiClient | undefined;
  let source: CredentialSource | undefined;
  const checkedUrl = () => {
    const r = UrlOption.safeParse(url);
    if (r.success) return url;
    const reason = r.error.issues[0]?.message ?? "invalid URL";
    throw new UsageError(`invalid --url ${JSON.stringify(url)}: ${reason}`, {
      details: [{ path: opts.url === undefined ? "ORCHESTRATOR_URL" : "--url", reason }],
    });
  };
  /** The stored key for this URL (read only when neither --token nor ORCHESTRATOR_TOKEN decides). */
  const storedKey = (): string | undefined => {
    const file = readCredentials(path);
    // Like ssh with a private key: say so when others can read the secrets (still used: refusing would lock people out mid-task).
    if (file.looseMode !== null && !json)
      io.stderr.write(
        `warning: ${path} is readable by others (mode ${file.looseMode.toString(8).padStart(4, "0")}); run \`chmod 600 ${path}\`\n`,
      );
    return findCredential(file.entries, url)?.key;
  };
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
      !json &&
      io.stdout.isTTY === true &&
      io.stderr.isTTY === true &&
      (io.stderr.columns ?? 0) > 0 &&
      io.env.TERM !== "dumb" &&
      !("CI" in io.env),
    get client() {
      if (!client) {
        const baseUrl = checkedUrl();
        const tenant = parseTenantOption(opts.tenant, io.env.ORCHESTRATOR_TENANT);
        const chosen = chooseCredential({ flag: opts.token, env: io.env.ORCHESTRATOR_TOKEN, stored: storedKey });
        source = chosen.source;
        const headers: Record<string, string> = {
          ...(chosen.token ? { authorization: `Bearer ${chosen.token}` } : {}),
          ...(tenant ? { "x-tenant-id": tenant } : {}),
        };
        client = createApiClient({ baseUrl, headers, ...(io.fetch ? { fetch: io.fetch } : {}) });
      }
      return client;
    },
    get credentialSource() {
      return source;
    },
    credentialsPath: path,
    overridingCredential:
      opts.token !== undefined ? "--token" : io.env.ORCHESTRATOR_TOKEN?.trim() ? "ORCHESTRATOR_TOKEN" : null,
    clientWithKey: (key) =>
      createApiClient({
        baseUrl: checkedUrl(),
        headers: { authorization: `Bearer ${key}` },
        ...(io.fetch ? { fetch: io.fetch } : {}),
      }),
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
