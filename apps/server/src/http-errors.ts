import { assertNever, classifyOutage, ErrorCode, isDomainError, type ErrorDetail } from "@industrial/core";
import type { ErrorEnvelope } from "@industrial/contracts";

/** The one table from error code to HTTP status (docs/api.md). */
export function statusOf(code: ErrorCode): number {
  switch (code) {
    case ErrorCode.INVALID_INPUT:
      return 400;
    case ErrorCode.UNAUTHENTICATED:
      return 401;
    case ErrorCode.FORBIDDEN:
      return 403;
    case ErrorCode.NOT_FOUND:
      return 404;
    case ErrorCode.INVALID_TRANSITION:
    case ErrorCode.CONFLICT:
    case ErrorCode.STALE_FENCING_TOKEN:
    case ErrorCode.DEPENDENCY_CYCLE:
      return 409;
    case ErrorCode.PAYLOAD_TOO_LARGE:
      return 413;
    case ErrorCode.PRECONDITION_FAILED:
    case ErrorCode.BUDGET_EXCEEDED:
      return 422;
    case ErrorCode.QUOTA_EXCEEDED:
    case ErrorCode.RATE_LIMITED:
      return 429;
    case ErrorCode.UNAVAILABLE:
      return 503;
    case ErrorCode.INTERNAL:
      return 500;
    default:
      return assertNever(code, "error code");
  }
}

export function envelope(
  code: string,
  message: string,
  requestId: string,
  details?: ErrorDetail[],
  suggestion?: string,
  context?: Record<string, unknown>,
): ErrorEnvelope {
  return {
    error: {
      code,
      message,
      requestId,
      ...(details?.length ? { details } : {}),
      ...(suggestion ? { suggestion } : {}),
      ...(context && Object.keys(context).length ? { context } : {}),
    },
  };
}

interface FastifyLikeError {
  code?: string;
  statusCode?: number;
  message: string;
}

/** Sent as `Retry-After` with every 503: a database restart or failover takes seconds, and retries come back at once after the outage. */
export const UNAVAILABLE_RETRY_AFTER_SECONDS = 2;

export interface HttpError {
  status: number;
  body: ErrorEnvelope;
  /** Unexpected: logged as an error with its stack. */
  internal: boolean;
  /** For the `Retry-After` header. */
  retryAfterSeconds?: number;
}

/**
 * Maps anything thrown in a request to (status, envelope). Domain errors keep
 * their code; an outage (the database restarting or cut off: a refused or
 * lost connection) is UNAVAILABLE, 503 with Retry-After — the request may
 * simply be sent again; the framework's own client errors (bad JSON, body too
 * large, wrong content type) become INVALID_INPUT / PAYLOAD_TOO_LARGE;
 * everything else is INTERNAL with a generic message (the real one goes to
 * the log).
 */
export function toHttpError(e: unknown, requestId: string): HttpError {
  if (isDomainError(e)) {
    const status = statusOf(e.code);
    // A 409's context is what the caller needs to reconcile (both versions, the keys that changed, the cycle).
    const body = envelope(
      e.code,
      e.message,
      requestId,
      e.details,
      e.suggestion,
      status === 409 ? e.context : undefined,
    );
    return {
      status,
      body,
      internal: false,
      ...(status === 503 ? { retryAfterSeconds: UNAVAILABLE_RETRY_AFTER_SECONDS } : {}),
    };
  }
  const outage = classifyOutage(e);
  if (outage) {
    const message = `${outageSubject(e)} cannot be reached right now (${outage}); try again in a few seconds`;
    const suggestion = "send the request again after Retry-After; GET /health/ready says which component is down";
    return {
      status: 503,
      body: envelope(ErrorCode.UNAVAILABLE, message, requestId, undefined, suggestion),
      internal: false,
      retryAfterSeconds: UNAVAILABLE_RETRY_AFTER_SECONDS,
    };
  }
  const fe = e as FastifyLikeError;
  if (fe?.code === "FST_ERR_CTP_BODY_TOO_LARGE")
    return {
      status: 413,
      body: envelope(ErrorCode.PAYLOAD_TOO_LARGE, "request body is larger than the server accepts", requestId, [
        { path: "body", reason: "too large" },
      ]),
      internal: false,
    };
  // Before routing: a path that is not valid percent-encoding, or a parameter past the router's length limit.
  if (fe?.code === "FST_ERR_BAD_URL" || fe?.code === "FST_ERR_MAX_PARAM_LENGTH") {
    const reason =
      fe.code === "FST_ERR_BAD_URL"
        ? "not a valid URL component (malformed percent-encoding)"
        : "longer than the server accepts";
    return {
      status: 400,
      body: envelope(ErrorCode.INVALID_INPUT, `invalid path: ${reason}`, requestId, [{ path: "params", reason }]),
      internal: false,
    };
  }
  if (fe?.code === "FST_ERR_CTP_INVALID_MEDIA_TYPE")
    return {
      status: 400,
      body: envelope(ErrorCode.INVALID_INPUT, "Content-Type must be application/json", requestId, [
        { path: "headers.content-type", reason: "must be application/json" },
      ]),
      internal: false,
    };
  // SQLSTATE class 22 (data exception: a NUL byte, an out-of-range value) is bad input that slipped past the schema.
  if (typeof fe?.code === "string" && /^22[0-9A-Z]{3}$/.test(fe.code))
    return {
      status: 400,
      body: envelope(ErrorCode.INVALID_INPUT, `the database refused a value: ${fe.message}`, requestId, [
        { path: "body", reason: fe.message },
      ]),
      internal: false,
    };
  if (typeof fe?.statusCode === "number" && fe.statusCode >= 400 && fe.statusCode < 500)
    return {
      status: 400,
      body: envelope(ErrorCode.INVALID_INPUT, fe.message, requestId, [{ path: "body", reason: fe.message }]),
      internal: false,
    };
  return {
    status: 500,
    body: envelope(ErrorCode.INTERNAL, "internal error; the request id is in the server log", requestId),
    internal: true,
  };
}

/**
 * Who is away: an outage thrown as it is (a socket error, a SQLSTATE, the
 * driver's "Connection terminated") is the database's — a request reaches
 * nothing else over a connection of its own; one found only as the cause of
 * another error came through some client (a runner's, wrapped by it).
 */
function outageSubject(e: unknown): string {
  const { code, message, errors } = (e ?? {}) as { code?: unknown; message?: unknown; errors?: unknown };
  return classifyOutage({ code, message, errors }) ? "the database" : "a service the server depends on";
}
