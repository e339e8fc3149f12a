import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT } from "./repo";

/**
 * Compose's variable interpolation, enough to read docker-compose.yml as
 * compose would without a Docker engine: `$$`, `$VAR`, `${VAR}`,
 * `${VAR:-default}` / `${VAR-default}`, `${VAR:?error}` / `${VAR?error}`,
 * `${VAR:+alt}` / `${VAR+alt}`. A required variable that is missing is
 * collected (compose refuses to start, printing its error).
 */

/** One `${…}` or `$VAR` reference: the variable, the operator (`:-`, `?`, …, "" for none) and its argument. */
export interface VariableRef {
  name: string;
  op: string;
  arg: string;
}

const REFERENCE = /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g;

/** The variable references of a string, in order (`$$` is an escaped dollar, not one). */
export function variableRefs(text: string): VariableRef[] {
  return [...text.matchAll(REFERENCE)]
    .filter((m) => m[0] !== "$$")
    .map((m) => ({ name: m[1] ?? m[4]!, op: m[2] ?? "", arg: m[3] ?? "" }));
}

export interface Interpolated<T> {
  value: T;
  /** Required variables that are unset (`?`) or unset or empty (`:?`), with compose's error text. */
  missing: { name: string; error: string }[];
}

/** One string, interpolated against `env`. */
export function interpolate(text: string, env: Record<string, string | undefined>): Interpolated<string> {
  const missing: { name: string; error: string }[] = [];
  const value = text.replace(REFERENCE, (whole, braced?: string, op?: string, arg?: string, bare?: string) => {
    if (whole === "$$") return "$";
    const name = (braced ?? bare)!;
    const v = env[name];
    const unset = v === undefined;
    const empty = unset || v === "";
    switch (op ?? "") {
      case ":-":
        return empty ? arg! : v!;
      case "-":
        return unset ? arg! : v!;
      case ":?":
      case "?":
        if (op === ":?" ? empty : unset) {
          missing.push({ name, error: arg! });
          return "";
        }
        return v!;
      case ":+":
        return empty ? "" : arg!;
      case "+":
        return unset ? "" : arg!;
      default:
        return v ?? "";
    }
  });
  return { value, missing };
}

/** Every string value of a parsed compose document (keys are not interpolated), against `env`. */
export function interpolateDocument<T>(doc: T, env: Record<string, string | undefined>): Interpolated<T> {
  const missing: { name: string; error: string }[] = [];
  const walk = (v: unknown): unknown => {
    if (typeof v === "string") {
      const r = interpolate(v, env);
      missing.push(...r.missing);
      return r.value;
    }
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return { value: walk(doc) as T, missing };
}

/** Every string value of a parsed document, with the path that leads to it (`services.postgres.environment.POSTGRES_PASSWORD`). */
export function stringValues(doc: unknown, path = ""): { path: string; value: string }[] {
  if (typeof doc === "string") return [{ path, value: doc }];
  if (Array.isArray(doc)) return doc.flatMap((v, i) => stringValues(v, `${path}[${i}]`));
  if (doc && typeof doc === "object")
    return Object.entries(doc).flatMap(([k, v]) => stringValues(v, path ? `${path}.${k}` : k));
  return [];
}

/** A service's environment as name → raw value (list or map form); a bare name (passed through from the shell) maps to undefined. */
export function serviceEnvironment(
  environment: string[] | Record<string, string | number | boolean | null> | undefined,
): Record<string, string | undefined> {
  if (!environment) return {};
  if (Array.isArray(environment))
    return Object.fromEntries(
      environment.map((e) =>
        e.includes("=") ? [e.slice(0, e.indexOf("=")), e.slice(e.indexOf("=") + 1)] : [e, undefined],
      ),
    );
  return Object.fromEntries(Object.entries(environment).map(([k, v]) => [k, v === null ? undefined : String(v)]));
}

/** An .env file as compose reads it (NAME=value lines; comments and blank lines skipped; no quoting used by our files). */
export function parseDotEnv(text: string): Record<string, string> {
  return Object.fromEntries(
    text
      .split("\n")
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith("#") && l.includes("="))
      .map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]),
  );
}

/** Runs deploy/compose/init-env.sh on `file` (created when missing); returns what it printed. Throws with its stderr when it fails. */
export function runInitEnv(file: string): string {
  try {
    return execFileSync("sh", [join(ROOT, "deploy/compose/init-env.sh"), file], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    });
  } catch (e) {
    throw new Error((e as { stderr?: string }).stderr || String(e), { cause: e });
  }
}

/** The .env init-env.sh writes from nothing, parsed. */
export function generatedDotEnv(): Record<string, string> {
  const dir = mkdtempSync(join(tmpdir(), "compose-env-"));
  try {
    runInitEnv(join(dir, ".env"));
    return parseDotEnv(readFileSync(join(dir, ".env"), "utf8"));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
