import { isAbsolute, resolve } from "node:path";

/**
 * OpenCode's file tools refuse relative paths, and a script is written before
 * anyone knows which directory the session will run in. So relative `filePath`
 * / `path` inputs are resolved against the session's working directory, which
 * OpenCode states in its system prompt (1.18.33):
 *
 *   <env>
 *     Working directory: /abs/path
 *     Workspace root folder: /abs/path
 *     ...
 *   </env>
 */

const ENV_BLOCK = /<env>([\s\S]*?)<\/env>/;
const WORKING_DIRECTORY_LINE = /^[ \t]*Working directory:[ \t]*(\S.*?)[ \t]*$/m;

/**
 * The absolute working directory named in a system prompt, or null. The line
 * inside OpenCode's `<env>` block wins over one elsewhere (an agent's own
 * system prompt could mention the words too).
 */
export function findWorkingDirectory(systemPrompt: string): string | null {
  const candidates = [ENV_BLOCK.exec(systemPrompt)?.[1], systemPrompt];
  for (const text of candidates) {
    if (text === undefined) continue;
    const dir = WORKING_DIRECTORY_LINE.exec(text)?.[1];
    if (dir && isAbsolute(dir)) return dir;
  }
  return null;
}

/** Tool input fields that hold a path OpenCode wants absolute. */
export const PATH_INPUT_KEYS = ["filePath", "path"] as const;

/**
 * Returns `input` with relative `filePath` / `path` resolved against
 * `workingDirectory`. Absolute paths, other fields, and everything when the
 * directory is unknown, are left as they are.
 */
export function resolveToolInput(
  input: Record<string, unknown>,
  workingDirectory: string | null,
): Record<string, unknown> {
  if (!workingDirectory) return input;
  const out = { ...input };
  for (const key of PATH_INPUT_KEYS) {
    const value = out[key];
    if (typeof value === "string" && value !== "" && !isAbsolute(value)) out[key] = resolve(workingDirectory, value);
  }
  return out;
}
