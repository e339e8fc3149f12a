import { ApiError } from "@industrial/contracts";
import { isDomainError } from "@industrial/core";
import { ZodError } from "zod";
import { CliError } from "./cli-error";
import { ExitCode, exitCodeForHttpStatus } from "./exit-codes";
import type { Colors } from "./format/colors";

/** Everything the CLI says about a failure, before it is printed as text or JSON. */
export interface ErrorReport {
  message: string;
  /** API error code (INVALID_INPUT, NOT_FOUND, …) or a CLI one (USAGE, UNREACHABLE, …). */
  code: string;
  httpStatus?: number;
  details: { path: string; reason: string }[];
  requestId?: string;
  suggestion?: string;
  exitCode: ExitCode;
}

/** What a command knows better than the generic hints: which list to look in, what state to check. */
export interface ErrorHints {
  /** For an API 404 (default: check the session id). */
  notFound?: string;
  /** For an API 409 (default: check the session's status). */
  conflict?: string;
  /** For an API 400 (default: fix the fields named). */
  invalid?: string;
  /** For an API 401: how to log in, given where the refused key came from (run-command.ts fills it in). */
  unauthenticated?: string;
}

/** A 401 with no better hint: both ways of giving the CLI a key. */
const LOGIN_HINT = "log in with `orchestrator login` (it asks for an API key), or set ORCHESTRATOR_TOKEN to one";
/** A 403: the server's message names the role the route needs and the key's own. */
const FORBIDDEN_HINT =
  "the message above names the role this needs; ask an admin for a key with it (`orchestrator keys create <name> --role <role>`), or use --token / ORCHESTRATOR_TOKEN with such a key";

const START_HINT =
  "start one with `orchestrator start` (or `npm start`), or point --url / ORCHESTRATOR_URL at a running one";

/** What to do next when the server gave no suggestion of its own. */
function defaultSuggestion(code: string, status: number, hints: ErrorHints): string | undefined {
  if (status === 404) return hints.notFound ?? "list sessions with `orchestrator ls` and check the id";
  if (status === 409) return hints.conflict ?? "check the session's current status with `orchestrator show <id>`";
  if (status === 400) return hints.invalid ?? "fix the fields named above; `--help` lists each option";
  if (status === 401) return hints.unauthenticated ?? LOGIN_HINT;
  if (status === 403) return FORBIDDEN_HINT;
  if (status === 429) return "wait a little and try again";
  if (status >= 500) return `the server logged the failure under the request id above (${code})`;
  return undefined;
}

/** A thrown network failure of fetch: undici wraps the system error (ECONNREFUSED…) in `cause`. */
function networkCode(e: unknown): string | null {
  if (!(e instanceof Error)) return null;
  if (e.name === "TimeoutError" || e.name === "AbortError") return "TIMEOUT";
  if (!(e instanceof TypeError && e.message === "fetch failed")) return null;
  // The cause says why: a system error code, or a message (the fetch spec's "bad port" has no code).
  const cause = (e as { cause?: { code?: unknown; message?: unknown } }).cause;
  if (typeof cause?.code === "string") return cause.code;
  return typeof cause?.message === "string" ? cause.message : "fetch failed";
}

/** The server's config error (`startOrchestrator` throws one with `errors: string[]`, each `NAME: reason`). */
function configErrors(e: unknown): string[] | null {
  const errors = (e as { errors?: unknown } | null)?.errors;
  return Array.isArray(errors) && errors.length > 0 && errors.every((x) => typeof x === "string") ? errors : null;
}

/** Classifies anything thrown into a report with its exit code (pure, so it is unit-tested). */
export function describeError(e: unknown, url: string, hints: ErrorHints = {}): ErrorReport {
  if (e instanceof CliError) {
    const code =
      e.exitCode === ExitCode.NOT_FOUND ? "NOT_FOUND" : e.exitCode === ExitCode.USAGE ? "USAGE" : "CLI_ERROR";
    return {
      message: e.message,
      code,
      details: e.details,
      exitCode: e.exitCode,
      ...(e.suggestion ? { suggestion: e.suggestion } : {}),
    };
  }
  if (e instanceof ApiError) {
    const { code, message, details, requestId, suggestion } = e.envelope;
    const notOurs = e.status < 400;
    // A 401's server suggestion speaks HTTP (send a Bearer header); a person at the CLI needs `orchestrator login`.
    const hint =
      e.status === 401
        ? defaultSuggestion(code, 401, hints)
        : (suggestion ??
          (notOurs ? `is ${url} an orchestrator? ${START_HINT}` : defaultSuggestion(code, e.status, hints)));
    return {
      message,
      code,
      httpStatus: e.status,
      details: details ?? [],
      exitCode: notOurs ? ExitCode.UNAVAILABLE : exitCodeForHttpStatus(e.status),
      ...(requestId ? { requestId } : {}),
      ...(hint ? { suggestion: hint } : {}),
    };
  }
  const net = networkCode(e);
  if (net) {
    const message =
      net === "TIMEOUT"
        ? `the orchestrator at ${url} did not answer in time`
        : `cannot reach the orchestrator at ${url} (${net})`;
    return {
      message,
      code: "UNREACHABLE",
      details: [],
      exitCode: ExitCode.UNAVAILABLE,
      suggestion: net === "TIMEOUT" ? "check the server's health at /health/ready" : START_HINT,
    };
  }
  if (e instanceof ZodError) {
    const details = e.issues.slice(0, 5).map((i) => ({ path: i.path.join(".") || "response", reason: i.message }));
    return {
      message: "the server's answer does not match this CLI's API contracts",
      code: "BAD_RESPONSE",
      details,
      exitCode: ExitCode.UNAVAILABLE,
      suggestion: "the CLI and the server are probably different versions",
    };
  }
  const config = configErrors(e);
  if (config) {
    const details = config.map((line) => {
      const at = line.indexOf(": ");
      return at > 0 ? { path: line.slice(0, at), reason: line.slice(at + 2) } : { path: "config", reason: line };
    });
    return {
      message: "the server configuration is invalid",
      code: "INVALID_CONFIG",
      details,
      exitCode: ExitCode.USAGE,
      suggestion: "fix the environment variables above (see the README's configuration table)",
    };
  }
  // Raised in this process by `start` (the data directory is locked, a bad repository…).
  if (isDomainError(e)) {
    const exitCode =
      e.code === "INVALID_INPUT"
        ? ExitCode.USAGE
        : e.code === "NOT_FOUND"
          ? ExitCode.NOT_FOUND
          : e.code === "CONFLICT" || e.code === "INVALID_TRANSITION"
            ? ExitCode.CONFLICT
            : e.code === "UNAVAILABLE"
              ? ExitCode.UNAVAILABLE
              : ExitCode.SESSION_UNSUCCESSFUL;
    return {
      message: e.message,
      code: e.code,
      details: e.details ?? [],
      exitCode,
      ...(e.suggestion ? { suggestion: e.suggestion } : {}),
    };
  }
  const sys = (e as { code?: unknown } | null)?.code;
  if (sys === "EADDRINUSE" || sys === "EACCES")
    return {
      message: (e as Error).message,
      code: String(sys),
      details: [],
      exitCode: ExitCode.USAGE,
      suggestion: "choose another port with --port (0 picks a free one)",
    };
  const message = e instanceof Error ? e.message : String(e);
  return {
    message: `unexpected error: ${message}`,
    code: "INTERNAL",
    details: [],
    exitCode: ExitCode.SESSION_UNSUCCESSFUL,
    suggestion: "this looks like a bug in the CLI; please report it with the command you ran",
  };
}

/** The human text of a report, for stderr. */
export function formatErrorReport(r: ErrorReport, c: Colors): string {
  const lines = [`${c.red(c.bold("error:"))} ${r.message}`];
  const label = (k: string) => c.dim(`  ${k.padEnd(11)}`);
  if (r.code !== "USAGE" && r.code !== "INTERNAL")
    lines.push(`${label("code")}${r.code}${r.httpStatus ? ` (HTTP ${r.httpStatus})` : ""}`);
  // A detail the message already states in full (one bad option) is not repeated.
  for (const d of r.details)
    if (!(r.message.includes(d.path) && r.message.includes(d.reason))) lines.push(`  ${c.yellow(d.path)}: ${d.reason}`);
  if (r.requestId) lines.push(`${label("request id")}${r.requestId}`);
  if (r.suggestion) lines.push(`${label("hint")}${r.suggestion}`);
  return lines.join("\n");
}

export interface ErrorIo {
  json: boolean;
  url: string;
  errColors: Colors;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  hints?: ErrorHints;
}

/**
 * The one error handler of the CLI: prints the message, the API error code,
 * field details, the request id and a suggestion on stderr (and, under
 * --json, the same as the one JSON document on stdout), and returns the
 * documented exit code for main to exit with.
 */
export function handleError(e: unknown, io: ErrorIo): ExitCode {
  const report = describeError(e, io.url, io.hints);
  io.stderr.write(`${formatErrorReport(report, io.errColors)}\n`);
  if (io.json) io.stdout.write(`${JSON.stringify({ error: report }, null, 2)}\n`);
  return report.exitCode;
}
