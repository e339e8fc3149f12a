import { ExitCode } from "./exit-codes";

export interface CliErrorOptions {
  /** The offending options or arguments, printed as `path: reason` like API field details. */
  details?: { path: string; reason: string }[];
  /** What the person can do about it. */
  suggestion?: string;
}

/**
 * An error the CLI itself detected, carrying the exit code it means.
 * handleError prints it like an API error, minus code and request id.
 */
export class CliError extends Error {
  override readonly name: string = "CliError";
  readonly details: { path: string; reason: string }[];
  readonly suggestion: string | undefined;
  constructor(
    message: string,
    readonly exitCode: ExitCode,
    options: CliErrorOptions = {},
  ) {
    super(message);
    this.details = options.details ?? [];
    this.suggestion = options.suggestion;
  }
}

/** A mistake in how the CLI was called (bad option value, ambiguous id prefix): exit 2. */
export class UsageError extends CliError {
  override readonly name = "UsageError";
  constructor(message: string, options: CliErrorOptions = {}) {
    super(message, ExitCode.USAGE, options);
  }
}
