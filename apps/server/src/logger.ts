import { currentRequestId } from "@industrial/db";
import pino, { type DestinationStream, type Logger } from "pino";
import pretty from "pino-pretty";

/** Keys whose values never reach a log line, at the top level and one or two levels down. */
const SECRET_KEYS = [
  "password",
  "apiKey",
  "api_key",
  "token",
  "secret",
  "authorization",
  "Authorization",
  "cookie",
  "Cookie",
  "DATABASE_URL",
  "REDIS_URL",
  "databaseUrl",
  "connectionString",
];
export const REDACTED_PATHS = SECRET_KEYS.flatMap((k) => [k, `*.${k}`, `*.*.${k}`]);
const CENSOR = "[redacted]";

/** Credentials inside URLs (`postgres://user:secret@host`, a remote runner's basic auth) in any logged string. */
const URL_CREDENTIALS = /(\b[a-z][\w+.-]*:\/\/[^\s:/@]*:)[^\s@/]+@/gi;

export type LogFormat = "json" | "pretty";

/**
 * One JSON object per line on stdout (pino): time, level, msg, the replica,
 * and the id of the API request being served on every line made while
 * serving it (the request context). Secrets are redacted by key and URL
 * credentials are masked wherever they appear. `pretty` is for a person at
 * a terminal (LOG_FORMAT=pretty, or the default on a TTY).
 */
export function createLogger(
  level: string,
  bindings: Record<string, unknown>,
  options: { format?: LogFormat; destination?: DestinationStream } = {},
): Logger {
  // Pretty: one line per entry, local time, without the fields every line shares.
  const stream =
    options.format === "pretty"
      ? pretty({
          colorize: process.stdout.isTTY === true,
          sync: true,
          singleLine: true,
          translateTime: "SYS:HH:MM:ss.l",
          ignore: "pid,hostname,replica",
          destination: options.destination ?? 1,
        })
      : options.destination;
  return pino(
    {
      level,
      base: bindings,
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: REDACTED_PATHS, censor: CENSOR },
      mixin() {
        const requestId = currentRequestId();
        return requestId ? { requestId } : {};
      },
      hooks: {
        // Every argument of a log call (the merging object and the message) has its URL credentials masked.
        logMethod(args, method) {
          method.apply(this, args.map((a) => maskUrlCredentials(a)) as Parameters<typeof method>);
        },
      },
    },
    stream,
  );
}

function maskUrlCredentials(value: unknown, depth = 0): unknown {
  if (typeof value === "string") return value.includes("@") ? value.replace(URL_CREDENTIALS, `$1${CENSOR}@`) : value;
  if (depth > 3 || value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map((v) => maskUrlCredentials(v, depth + 1));
  // Only plain objects are rebuilt (a Date, Buffer or Error keeps its own serialisation).
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = maskUrlCredentials(v, depth + 1);
  return out;
}
