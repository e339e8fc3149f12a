import { existsSync } from "node:fs";
import { resolve } from "node:path";

/**
 * A `--repo`/`--repository` value as the server should get it: a git URL
 * (`scheme://…`, or `user@host:path` that is not a local file) as written —
 * the server judges it —, anything else a path from where the caller is,
 * made absolute (the server runs elsewhere in general).
 */
export function repositoryArg(value: string): string {
  const url = value.includes("://") || (/^[^/]+:/.test(value) && !existsSync(value));
  return url ? value : resolve(value);
}
