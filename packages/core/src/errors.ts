/**
 * The one error model of the domain. Every failure a caller can act on is a
 * `DomainError` with a code from `ErrorCode`; the HTTP edge maps codes to
 * statuses in one table (apps/server) and the CLI maps them to exit codes.
 */
export const ErrorCode = {
  INVALID_INPUT: "INVALID_INPUT",
  UNAUTHENTICATED: "UNAUTHENTICATED",
  FORBIDDEN: "FORBIDDEN",
  NOT_FOUND: "NOT_FOUND",
  INVALID_TRANSITION: "INVALID_TRANSITION",
  CONFLICT: "CONFLICT",
  STALE_FENCING_TOKEN: "STALE_FENCING_TOKEN",
  DEPENDENCY_CYCLE: "DEPENDENCY_CYCLE",
  PAYLOAD_TOO_LARGE: "PAYLOAD_TOO_LARGE",
  QUOTA_EXCEEDED: "QUOTA_EXCEEDED",
  BUDGET_EXCEEDED: "BUDGET_EXCEEDED",
  RATE_LIMITED: "RATE_LIMITED",
  PRECONDITION_FAILED: "PRECONDITION_FAILED",
  UNAVAILABLE: "UNAVAILABLE",
  INTERNAL: "INTERNAL",
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export interface ErrorDetail {
  /** Dotted path of the offending field (`retry.maxAttempts`, `params.id`). */
  path: string;
  reason: string;
}

export interface DomainErrorOptions {
  context?: Record<string, unknown>;
  details?: ErrorDetail[];
  cause?: unknown;
  /** What the person who hit the error can do about it. */
  suggestion?: string;
}

export class DomainError extends Error {
  readonly code: ErrorCode;
  readonly context: Record<string, unknown>;
  readonly details: ErrorDetail[] | undefined;
  readonly suggestion: string | undefined;

  constructor(code: ErrorCode, message: string, options: DomainErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.context = options.context ?? {};
    this.details = options.details;
    this.suggestion = options.suggestion;
  }
}

/** Input that fails validation. `details` lists every failing field. */
export class InvalidInputError extends DomainError {
  constructor(message: string, details: ErrorDetail[] = [], options: DomainErrorOptions = {}) {
    super(ErrorCode.INVALID_INPUT, message, { ...options, details });
  }
}

/** A row that does not exist or is not visible to the caller's tenant (never 403: no existence leak). */
export class NotFoundError extends DomainError {
  constructor(entity: string, id: string) {
    super(ErrorCode.NOT_FOUND, `${entity} ${id} not found`, { context: { entity, id } });
  }
}

/** The status table forbids the move. Callers show both states; nothing was written. */
export class InvalidTransitionError extends DomainError {
  constructor(
    readonly from: string,
    readonly to: string,
    what = "session",
  ) {
    super(ErrorCode.INVALID_TRANSITION, `cannot move ${what} from ${from} to ${to}`, {
      context: { from, to },
    });
  }
}

/**
 * A write carried a fencing token older than the session's current one: the
 * writer lost its lease to another replica and must stop working on the
 * attempt at once (the runner aborts its OpenCode turn and drops the attempt).
 */
export class StaleFencingTokenError extends DomainError {
  constructor(sessionId: string, token: number, current: number | null) {
    super(
      ErrorCode.STALE_FENCING_TOKEN,
      `fencing token ${token} for session ${sessionId} is stale (current ${current ?? "none"})`,
      { context: { sessionId, token, current } },
    );
  }
}

/** Optimistic concurrency or uniqueness conflict. */
export class ConflictError extends DomainError {
  constructor(message: string, options: DomainErrorOptions = {}) {
    super(ErrorCode.CONFLICT, message, options);
  }
}

/** The request is well-formed but the current state does not allow it. */
export class PreconditionError extends DomainError {
  constructor(message: string, options: DomainErrorOptions = {}) {
    super(ErrorCode.PRECONDITION_FAILED, message, options);
  }
}

/**
 * Adding a task dependency would close a cycle, or a graph handed to the
 * scheduling maths has one. `cycle` lists the task ids in order, each
 * depending on the next, first == last; `titles`, when the caller has them,
 * name the same tasks for people. The API shows the cycle so the person can
 * see which edge to drop. Nothing was written.
 */
export class DependencyCycleError extends DomainError {
  readonly cycle: readonly string[];

  constructor(cycle: readonly string[], titles?: readonly string[]) {
    const names = titles && titles.length === cycle.length ? titles.map((t) => `"${t}"`) : cycle;
    super(ErrorCode.DEPENDENCY_CYCLE, `dependency cycle: ${names.join(" → ")}`, {
      context: titles ? { cycle: [...cycle], titles: [...titles] } : { cycle: [...cycle] },
      suggestion: "remove one of the dependencies in the cycle",
    });
    this.cycle = cycle;
  }
}

/** A dependency (database, runner) cannot be reached right now. */
export class UnavailableError extends DomainError {
  constructor(message: string, options: DomainErrorOptions = {}) {
    super(ErrorCode.UNAVAILABLE, message, options);
  }
}

export function isDomainError(e: unknown): e is DomainError {
  return e instanceof DomainError;
}

/** Turns anything thrown into an Error, so catch blocks can log and wrap uniformly. */
export function coerceError(e: unknown): Error {
  if (e instanceof Error) return e;
  if (typeof e === "string") return new Error(e);
  try {
    return new Error(JSON.stringify(e));
  } catch {
    return new Error(String(e));
  }
}

/** Exhaustiveness guard for switches over unions. */
export function assertNever(value: never, what = "value"): never {
  throw new Error(`unexpected ${what}: ${JSON.stringify(value)}`);
}
