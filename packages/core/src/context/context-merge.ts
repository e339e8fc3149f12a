import { isJsonObject, jsonEqual, setOwn, type JsonObject } from "./context";
import { formatContextPath } from "./context-path";

export const MERGE_STRATEGIES = ["last_write_wins", "deep_merge", "prefer_source", "prefer_target", "manual"] as const;
export type MergeStrategy = (typeof MERGE_STRATEGIES)[number];

export interface MergeSide {
  data: JsonObject;
  /** When the side was last written (ISO); only last_write_wins reads it. */
  updatedAt: string;
}

export type MergeResult = { ok: true; data: JsonObject } | { ok: false; conflicts: string[] };

/**
 * Merges the source context's data into the target's; the result becomes
 * the target's next version (the source is left as it was).
 *
 * - `last_write_wins` — the whole document of the side written last
 *   (`updatedAt`) replaces the target; on a tie the source wins (the merge
 *   is the newer write). Nothing is combined.
 * - `deep_merge` — objects are merged key by key at every depth; where both
 *   sides hold something other than two objects at the same path (scalars,
 *   arrays, an object against a scalar), the source's value wins. Keys only
 *   one side has are kept. Arrays are values: replaced, never concatenated.
 * - `prefer_source` — a shallow merge of the top-level keys: every key of
 *   both, and for a key both have, the source's value whole (`{...target,
 *   ...source}`).
 * - `prefer_target` — the same, the target's value winning: the target only
 *   gains the top-level keys it did not have (`{...source, ...target}`).
 * - `manual` — refuses when a key differs on both sides and returns those
 *   keys. Both sides are the two documents themselves (no common ancestor is
 *   kept): a path that holds a value in the source and in the target, and
 *   the values differ, is a conflict — walked like `deep_merge`, so two
 *   objects are compared key by key and the conflict is reported at the
 *   deepest differing path. A key only one side has is not a conflict. With
 *   no conflict the result is the `deep_merge` (then the same either way).
 */
export function computeMerge(source: MergeSide, target: MergeSide, strategy: MergeStrategy): MergeResult {
  switch (strategy) {
    case "last_write_wins":
      return {
        ok: true,
        data: structuredClone(Date.parse(source.updatedAt) >= Date.parse(target.updatedAt) ? source.data : target.data),
      };
    case "deep_merge":
      return { ok: true, data: deepMerge(target.data, source.data) };
    case "prefer_source":
      return { ok: true, data: shallow(target.data, source.data) };
    case "prefer_target":
      return { ok: true, data: shallow(source.data, target.data) };
    case "manual": {
      const conflicts = findConflicts(source.data, target.data, []);
      return conflicts.length ? { ok: false, conflicts } : { ok: true, data: deepMerge(target.data, source.data) };
    }
  }
}

/** `base` with `over` merged in at every depth; `over` wins where the two are not both objects. */
export function deepMerge(base: JsonObject, over: JsonObject): JsonObject {
  const out = structuredClone(base);
  for (const key of Object.keys(over)) {
    const a = out[key];
    const b = over[key]!;
    setOwn(
      out,
      key,
      Object.hasOwn(out, key) && isJsonObject(a) && isJsonObject(b) ? deepMerge(a, b) : structuredClone(b),
    );
  }
  return out;
}

function shallow(base: JsonObject, over: JsonObject): JsonObject {
  const out = structuredClone(base);
  for (const key of Object.keys(over)) setOwn(out, key, structuredClone(over[key]!));
  return out;
}

function findConflicts(source: JsonObject, target: JsonObject, prefix: string[]): string[] {
  const out: string[] = [];
  for (const key of Object.keys(source)) {
    if (!Object.hasOwn(target, key)) continue;
    const a = source[key]!;
    const b = target[key]!;
    if (isJsonObject(a) && isJsonObject(b)) out.push(...findConflicts(a, b, [...prefix, key]));
    else if (!jsonEqual(a, b)) out.push(formatContextPath([...prefix, key]));
  }
  return out;
}
