import { isJsonObject, jsonEqual, type JsonObject, type JsonValue } from "./context";
import { formatContextPath } from "./context-path";

/**
 * What changed from one document to another, as dot paths (context-path.ts)
 * with their values. Objects are walked key by key; any other value —
 * arrays included — is compared whole, so a changed array is one `modified`
 * entry, and an added or removed object is one entry holding all of it.
 */
export interface ContextDiff {
  added: { path: string; value: JsonValue }[];
  modified: { path: string; from: JsonValue; to: JsonValue }[];
  deleted: { path: string; value: JsonValue }[];
}

export function computeContextDiff(from: JsonObject, to: JsonObject): ContextDiff {
  const diff: ContextDiff = { added: [], modified: [], deleted: [] };
  walk(from, to, [], diff);
  return diff;
}

function walk(from: JsonObject, to: JsonObject, prefix: string[], diff: ContextDiff): void {
  for (const key of Object.keys(from)) {
    const path = [...prefix, key];
    const a = from[key]!;
    if (!Object.hasOwn(to, key)) {
      diff.deleted.push({ path: formatContextPath(path), value: a });
      continue;
    }
    const b = to[key]!;
    if (isJsonObject(a) && isJsonObject(b)) walk(a, b, path, diff);
    else if (!jsonEqual(a, b)) diff.modified.push({ path: formatContextPath(path), from: a, to: b });
  }
  for (const key of Object.keys(to))
    if (!Object.hasOwn(from, key)) diff.added.push({ path: formatContextPath([...prefix, key]), value: to[key]! });
}

/** Every path a diff touches, sorted (what a write changed). */
export function changedPaths(diff: ContextDiff): string[] {
  return [...diff.added, ...diff.modified, ...diff.deleted].map((e) => e.path).sort();
}
