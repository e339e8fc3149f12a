import { promptWithoutScript } from "./script";

/** OpenCode asks for titles of at most 50 characters. */
export const MAX_TITLE_LENGTH = 50;
export const FALLBACK_TITLE = "Scripted session";

/**
 * A session title for OpenCode's tool-less title request: the first non-empty
 * line of the prompt (without its script), whitespace collapsed, cut to 50
 * characters on a word boundary when one is near.
 */
export function computeTitle(promptText: string): string {
  const line = promptWithoutScript(promptText)
    .split("\n")
    .map((l) => l.replace(/\s+/g, " ").trim())
    .find((l) => l.length > 0);
  if (!line) return FALLBACK_TITLE;
  if (line.length <= MAX_TITLE_LENGTH) return line;
  const cut = line.slice(0, MAX_TITLE_LENGTH - 1);
  const space = cut.lastIndexOf(" ");
  return `${space >= 30 ? cut.slice(0, space) : cut}…`;
}
