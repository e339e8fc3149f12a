/** The `p`-th percentile (0–100) of `xs`, nearest rank from below; `xs` is left as it is. */
export function percentile(xs: readonly number[], p: number): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}
