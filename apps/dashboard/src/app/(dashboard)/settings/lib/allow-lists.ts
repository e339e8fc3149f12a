/**
 * A tenant's allow-lists (`allowedModels`, `allowedRepositoryPrefixes`) as
 * the settings form edits them: "any" (the API's null) or the entries
 * listed, one per line (an empty list is the API's [], none). Pure.
 */
export interface AllowListForm {
  any: boolean;
  /** One entry per line, as typed. */
  text: string;
}

export const toAllowListForm = (list: readonly string[] | null): AllowListForm => ({
  any: list === null,
  text: (list ?? []).join("\n"),
});

/** What the API takes: null for any, else the non-empty lines, trimmed, in order (the server checks each). */
export function fromAllowListForm(f: AllowListForm): string[] | null {
  if (f.any) return null;
  return f.text
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "");
}

/**
 * The API's error for a list field, naming the line (`body.allowedModels.2`
 * → "line 3 (…): must be provider/model"). The index is of the list sent,
 * which has no blank lines: the entry itself is quoted so the person finds it.
 */
export function allowListErrorAt(
  fields: Record<string, string>,
  path: string,
  sent: readonly string[] | null,
): string | undefined {
  if (fields[path]) return fields[path];
  for (const [key, reason] of Object.entries(fields)) {
    const m = new RegExp(`^${path}\\.(\\d+)$`).exec(key);
    if (!m) continue;
    const i = Number(m[1]);
    const entry = sent?.[i];
    return entry === undefined ? `entry ${i + 1}: ${reason}` : `"${entry}": ${reason}`;
  }
  return undefined;
}
