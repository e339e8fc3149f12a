/**
 * How deep a request body may nest arrays and objects. Validation walks a
 * body one stack frame (several, in zod) per level, so a body a few thousand
 * levels deep overflowed the stack and answered 500; real documents (context
 * data, metadata) stay far below this.
 */
export const MAX_JSON_DEPTH = 256;

/** Whether `value` nests arrays or objects more than `max` levels deep (the top level is 1). Iterative: it must not recurse itself. */
export function exceedsJsonDepth(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== "object") continue;
    if (depth > max) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v)) stack.push([child, depth + 1]);
  }
  return false;
}
