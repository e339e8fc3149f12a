import pino, { type Logger } from "pino";

/** JSON lines on stdout (one object per line), secrets redacted wherever they appear. */
export function createLogger(level: string, bindings: Record<string, unknown>): Logger {
  return pino({
    level,
    base: bindings,
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: ["*.password", "*.apiKey", "*.token", "*.authorization", "req.headers.authorization", "DATABASE_URL"], censor: "[redacted]" },
  });
}
