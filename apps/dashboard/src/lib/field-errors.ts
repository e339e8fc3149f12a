import { ApiError } from "@industrial/contracts";

/**
 * The API's 400 details as form-field errors: `body.budget.maxCostUsd` →
 * `budget.maxCostUsd` (and `query.from` → `from`, for filter forms). The
 * first reason per field wins; errors that name no field are returned as `form`.
 */
export function fieldErrorsOf(error: unknown): { fields: Record<string, string>; form: string | null } {
  if (!(error instanceof ApiError))
    return { fields: {}, form: error ? (error instanceof Error ? error.message : String(error)) : null };
  const fields: Record<string, string> = {};
  for (const d of error.envelope.details ?? []) {
    const path = d.path.replace(/^(body|query)\.?/, "");
    if (!path) continue;
    fields[path] ??= d.reason;
  }
  const named = Object.keys(fields).length > 0;
  return { fields, form: named ? null : error.message };
}

/** The error of a field or of any field below it (`retry` matches `retry.maxAttempts`). */
export function errorAt(fields: Record<string, string>, path: string): string | undefined {
  if (fields[path]) return fields[path];
  const below = Object.keys(fields).find((k) => k.startsWith(`${path}.`));
  return below ? `${below.slice(path.length + 1)}: ${fields[below]}` : undefined;
}
