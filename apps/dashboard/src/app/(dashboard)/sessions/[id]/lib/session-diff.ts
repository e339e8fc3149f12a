import { parseDiff, type FileData, type HunkData } from "react-diff-view";

/** One file of `GET /sessions/{id}/diff` (packages/contracts `DiffSchema`). */
export interface DiffFileWire {
  path: string;
  oldPath: string | null;
  status: "added" | "modified" | "deleted" | "renamed";
  additions: number;
  deletions: number;
  patch: string;
  binary: boolean;
  truncated: boolean;
}

/** Above this many changed lines a file starts folded: one open file must not bury the rest of the page. */
export const LARGE_FILE_LINES = 400;
/** Files past this index start folded too, so a diff of hundreds of files renders only its headers at first. */
export const OPEN_FILES_LIMIT = 12;

/**
 * How one changed file is shown: `binary` (named, nothing to draw), `text`
 * with react-diff-view's hunks (empty for a pure rename or a mode change),
 * folded at first when large or far down the list.
 */
export type FilePlan =
  | { kind: "binary"; openAtFirst: false }
  | {
      kind: "text";
      hunks: HunkData[];
      diffType: FileData["type"];
      openAtFirst: boolean;
      large: boolean;
      truncated: boolean;
      language: string | null;
    };

// The server cuts a patch over its byte limit on a line boundary and appends one note line
// (packages/opencode capPatch); the note is not diff text, and the cut hunk stays as far as it goes.
const TRUNCATION_NOTE = /\n?\[patch truncated: [^\]\n]*\]\n?$/;

/** Plans each file of a diff, in the API's order (pure: no DOM, no highlighting). */
export function computeFilePlan(file: DiffFileWire, index: number): FilePlan {
  if (file.binary) return { kind: "binary", openAtFirst: false };
  const parsed = parsePatch(file.truncated ? file.patch.replace(TRUNCATION_NOTE, "\n") : file.patch);
  const large = file.additions + file.deletions > LARGE_FILE_LINES || file.truncated;
  return {
    kind: "text",
    hunks: parsed?.hunks ?? [],
    diffType: parsed?.type ?? DIFF_TYPE[file.status],
    openAtFirst: !large && index < OPEN_FILES_LIMIT,
    large,
    truncated: file.truncated,
    language: languageOf(file.path),
  };
}

const DIFF_TYPE: Record<DiffFileWire["status"], FileData["type"]> = {
  added: "add",
  modified: "modify",
  deleted: "delete",
  renamed: "rename",
};

// gitdiff-parser (inside react-diff-view) reads `diff --git` text; a patch it cannot read shows as no hunks rather than breaking the card.
function parsePatch(patch: string): FileData | null {
  if (!patch.startsWith("diff --git ")) return null;
  try {
    return parseDiff(patch)[0] ?? null;
  } catch {
    return null;
  }
}

/**
 * refractor (Prism) language for a path, among the ones registered in
 * diff-highlight.ts; null: shown unhighlighted. Keys are lower-cased
 * extensions, or whole file names for the extension-less ones.
 */
const LANGUAGE: Record<string, string> = {
  ts: "typescript",
  mts: "typescript",
  cts: "typescript",
  tsx: "tsx",
  js: "javascript",
  mjs: "javascript",
  cjs: "javascript",
  jsx: "jsx",
  json: "json",
  css: "css",
  scss: "scss",
  html: "markup",
  xml: "markup",
  svg: "markup",
  md: "markdown",
  py: "python",
  sh: "bash",
  bash: "bash",
  yml: "yaml",
  yaml: "yaml",
  go: "go",
  rs: "rust",
  sql: "sql",
  java: "java",
  rb: "ruby",
  toml: "toml",
  c: "c",
  h: "c",
  cpp: "cpp",
  hpp: "cpp",
  dockerfile: "docker",
  makefile: "makefile",
};

/** The highlighting language of a file path, or null. */
export function languageOf(path: string): string | null {
  const name = path.slice(path.lastIndexOf("/") + 1).toLowerCase();
  const dot = name.lastIndexOf(".");
  return LANGUAGE[dot > 0 ? name.slice(dot + 1) : name] ?? null;
}

/** Lines a file's hunks hold (context included): what the fold button says it will show. */
export function countHunkLines(hunks: HunkData[]): number {
  return hunks.reduce((n, h) => n + h.changes.length, 0);
}
