import { truncate } from "./text";

/** A task's error as one line: the message, then any conflicting paths it does not already name. */
export function describeTaskError(
  err: { message: string; paths?: string[] | undefined },
  maxMessage = Infinity,
): string {
  const message = Number.isFinite(maxMessage) ? truncate(err.message, maxMessage) : err.message;
  const unnamed = (err.paths ?? []).filter((p) => !err.message.includes(p));
  return unnamed.length ? `${message} (${unnamed.join(", ")})` : message;
}
