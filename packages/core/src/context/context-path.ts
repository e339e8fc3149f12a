import { isJsonObject, setOwn, type JsonObject, type JsonValue } from "./context";
import { InvalidInputError } from "../errors";

/**
 * Dot paths into a context's data: `a.b.0.c` is key `a`, key `b`, index 0 of
 * an array, key `c`. A segment that indexes an array is a non-negative
 * integer. A key holding a dot or a backslash is written escaped: `\.` and
 * `\\` (`files.src/app\.ts` is key `src/app.ts` of `files`).
 *
 * Every function here is pure: documents come in and new ones go out.
 */
export const CONTEXT_PATH_MAX_LENGTH = 1024;
export const CONTEXT_PATH_MAX_SEGMENTS = 64;

/** A path that is malformed, or that cannot be followed in this document. `reason` completes "the path …". */
export class ContextPathError extends InvalidInputError {
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`path ${JSON.stringify(path)} ${reason}`, [{ path: "path", reason }]);
  }
}

/** `a.b\.c.0` → ["a", "b.c", "0"]. Throws ContextPathError on an empty path, an empty segment or a lone backslash. */
export function parseContextPath(path: string): string[] {
  if (path.length === 0) throw new ContextPathError(path, "is empty");
  if (path.length > CONTEXT_PATH_MAX_LENGTH)
    throw new ContextPathError(path.slice(0, 40) + "…", `is longer than ${CONTEXT_PATH_MAX_LENGTH} characters`);
  const segments: string[] = [];
  let current = "";
  let hasChars = false;
  for (let i = 0; i < path.length; i++) {
    const c = path[i]!;
    if (c === "\\") {
      const next = path[i + 1];
      if (next !== "." && next !== "\\")
        throw new ContextPathError(path, `has a backslash at ${i} that escapes neither "." nor "\\"`);
      current += next;
      hasChars = true;
      i++;
    } else if (c === ".") {
      if (!hasChars) throw new ContextPathError(path, `has an empty segment at ${i}`);
      segments.push(current);
      current = "";
      hasChars = false;
    } else {
      current += c;
      hasChars = true;
    }
  }
  if (!hasChars) throw new ContextPathError(path, "ends with an empty segment");
  segments.push(current);
  if (segments.length > CONTEXT_PATH_MAX_SEGMENTS)
    throw new ContextPathError(path, `has more than ${CONTEXT_PATH_MAX_SEGMENTS} segments`);
  return segments;
}

/** ["a", "b.c", "0"] → `a.b\.c.0` (the inverse of parseContextPath). */
export function formatContextPath(segments: readonly string[]): string {
  return segments.map((s) => s.replaceAll("\\", "\\\\").replaceAll(".", "\\.")).join(".");
}

const INDEX = /^(0|[1-9]\d{0,8})$/;

function describe(v: JsonValue): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  return typeof v === "object" ? "an object" : `a ${typeof v}`;
}

/**
 * One step down from `container` by `segment`: the child (undefined when
 * absent). Throws when the container is a scalar, or an array and the
 * segment is not an index.
 */
function child(path: readonly string[], depth: number, container: JsonValue): JsonValue | undefined {
  const segment = path[depth]!;
  const at = () => formatContextPath(path.slice(0, depth)) || "the root";
  if (Array.isArray(container)) {
    if (!INDEX.test(segment))
      throw new ContextPathError(
        formatContextPath(path),
        `goes through an array at ${at()}, and ${JSON.stringify(segment)} is not an index`,
      );
    return container[Number(segment)];
  }
  if (isJsonObject(container)) return Object.hasOwn(container, segment) ? container[segment] : undefined;
  throw new ContextPathError(
    formatContextPath(path),
    `goes through ${describe(container)} at ${at()}, which has no keys`,
  );
}

export type PathLookup = { found: true; value: JsonValue } | { found: false };

/** The value at `path`, or found: false when some key or index on the way is absent. */
export function getAtPath(doc: JsonObject, path: readonly string[]): PathLookup {
  let node: JsonValue = doc;
  for (let depth = 0; depth < path.length; depth++) {
    const next = child(path, depth, node);
    if (next === undefined) return { found: false };
    node = next;
  }
  return { found: true, value: node };
}

/**
 * A copy of `doc` with `value` at `path`. Missing objects on the way are
 * created; an array index may be at most the array's length (that length
 * appends). A scalar on the way is an error: it is never replaced silently.
 */
export function setAtPath(doc: JsonObject, path: readonly string[], value: JsonValue): JsonObject {
  const root = structuredClone(doc);
  let node: JsonValue = root;
  for (let depth = 0; depth < path.length; depth++) {
    const last = depth === path.length - 1;
    let next = child(path, depth, node);
    const segment = path[depth]!;
    if (Array.isArray(node)) {
      const index = Number(segment);
      if (index > node.length)
        throw new ContextPathError(
          formatContextPath(path),
          `indexes ${index} of an array of length ${node.length} at ${formatContextPath(path.slice(0, depth)) || "the root"} (at most its length, which appends)`,
        );
      if (last) {
        node[index] = structuredClone(value);
        return root;
      }
      if (next === undefined) node[index] = next = {};
    } else {
      const obj = node as JsonObject;
      if (last) {
        setOwn(obj, segment, structuredClone(value));
        return root;
      }
      if (next === undefined) setOwn(obj, segment, (next = {}));
    }
    node = next;
  }
  return root;
}

/**
 * A copy of `doc` without the value at `path` (array elements after it move
 * down by one), and whether there was one.
 */
export function deleteAtPath(doc: JsonObject, path: readonly string[]): { data: JsonObject; deleted: boolean } {
  const root = structuredClone(doc);
  let node: JsonValue = root;
  for (let depth = 0; depth < path.length - 1; depth++) {
    const next = child(path, depth, node);
    if (next === undefined) return { data: doc, deleted: false };
    node = next;
  }
  const depth = path.length - 1;
  if (child(path, depth, node) === undefined) return { data: doc, deleted: false };
  const segment = path[depth]!;
  if (Array.isArray(node)) node.splice(Number(segment), 1);
  else delete (node as JsonObject)[segment];
  return { data: root, deleted: true };
}

// Characters PostgreSQL's jsonb refuses: NUL, and UTF-16 halves without their pair
// (with the u flag a well-formed pair is one code point and does not match).
// eslint-disable-next-line no-control-regex -- NUL is exactly what is looked for
const UNSTORABLE = /[\u0000\uD800-\uDFFF]/u;

/**
 * The dot path of the first string (value or key) in a document that
 * PostgreSQL cannot store — a NUL character or a lone surrogate — or null.
 */
export function findUnstorableText(value: JsonValue, path: string[] = []): string | null {
  const at = (segments: string[]) => formatContextPath(segments) || "(root)";
  if (typeof value === "string") return UNSTORABLE.test(value) ? at(path) : null;
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) {
      const found = findUnstorableText(v, [...path, String(i)]);
      if (found) return found;
    }
    return null;
  }
  if (isJsonObject(value))
    for (const [k, v] of Object.entries(value)) {
      if (UNSTORABLE.test(k)) return at([...path, k]);
      const found = findUnstorableText(v, [...path, k]);
      if (found) return found;
    }
  return null;
}
