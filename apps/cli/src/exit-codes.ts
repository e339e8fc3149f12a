import type { SessionStatus } from "@industrial/core";

/**
 * The exit codes of every command, documented in main.ts and the README.
 * Scripts branch on them, so a code's meaning never changes once released.
 */
export const ExitCode = {
  /** The command worked; for --wait / logs -f: the session completed. */
  OK: 0,
  /** The session ended without completing (failed, timeout, stopped, cancelled, partially_completed, orphaned); or an unexpected CLI error. */
  SESSION_UNSUCCESSFUL: 1,
  /** Bad options or arguments, or the API refused the input (4xx other than 404/409). */
  USAGE: 2,
  /** The session (or route) does not exist: HTTP 404. */
  NOT_FOUND: 3,
  /** The request conflicts with the session's state: HTTP 409 (invalid transition etc.). */
  CONFLICT: 4,
  /** The server cannot be reached, timed out, or answered 5xx / something that is not our API. */
  UNAVAILABLE: 5,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** What a finished session means for `submit --wait` and `logs -f`: only `completed` is success. */
export function exitCodeForOutcome(status: SessionStatus): ExitCode {
  return status === "completed" ? ExitCode.OK : ExitCode.SESSION_UNSUCCESSFUL;
}

/** The exit code for an HTTP error status of the API. */
export function exitCodeForHttpStatus(status: number): ExitCode {
  if (status === 404) return ExitCode.NOT_FOUND;
  if (status === 409) return ExitCode.CONFLICT;
  // 400, 401, 403, 413, 422, 429: the request as given will not succeed; change it.
  if (status >= 400 && status < 500) return ExitCode.USAGE;
  // 5xx, and a 2xx/3xx whose body was not JSON (the URL points at something else).
  return ExitCode.UNAVAILABLE;
}
