/** The values of a comma-joined list param that `allowed` knows, in `allowed` order (unknown ones dropped). */
export function listParam<T extends string>(raw: string | null, allowed: readonly T[]): T[] {
  const parts = (raw ?? "").split(",");
  return allowed.filter((a) => parts.includes(a));
}

/** Toggles one value in a multi-select list, keeping the canonical order, so the same choice makes the same URL. */
export function toggle<T extends string>(values: readonly T[], value: T, order: readonly T[]): T[] {
  const next = values.includes(value) ? values.filter((v) => v !== value) : [...values, value];
  return order.filter((o) => next.includes(o));
}
