/**
 * How one line of a unified diff is painted (the session's Diff card, an
 * edit's permission request): additions and removals in the running and
 * failed tones, hunk headers in the accent, the rest muted.
 */
export function diffLineClass(line: string): string {
  if (line.startsWith("+++") || line.startsWith("---")) return "text-muted";
  if (line.startsWith("+")) return "text-st-running bg-st-running/10";
  if (line.startsWith("-")) return "text-st-failed bg-st-failed/10";
  if (line.startsWith("@@")) return "text-accent-strong";
  return "text-muted";
}

/** A diff as it is worth reading: the `Index:` banner and its `====` rule (OpenCode's edit asks carry them) left out. */
export function readableDiffLines(diff: string): string[] {
  const lines = diff.replace(/\n$/, "").split("\n");
  return lines.filter((l) => !/^Index: /.test(l) && !/^={10,}$/.test(l));
}
