/**
 * Polls `check` until it returns a truthy value or the deadline passes (then
 * throws with `what`). The default deadline is generous: CI machines can be
 * several times slower than a quiet one, and only a failing wait pays it.
 */
export async function waitFor<T>(
  check: () => Promise<T> | T,
  what: string,
  options: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<NonNullable<T>> {
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v) return v as NonNullable<T>;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ""}`);
    await new Promise((r) => setTimeout(r, options.intervalMs ?? 50));
  }
}
