import { z } from "zod";
import { UsageError } from "./cli-error";

/**
 * CLI options are parsed here, at the edge, with zod (STYLE: validate where
 * data enters). Commander hands us strings; these schemas turn them into
 * typed values or a UsageError that names the option, so `--priority urgent`
 * says which option is wrong and what it accepts.
 */

/** `--max-duration 60` → 60; rejects "1e3", "-1", "abc" with a range message. */
export function intOption(min: number, max: number) {
  return z
    .string()
    .regex(/^\d+$/, { error: `must be a whole number from ${min} to ${max}` })
    .transform(Number)
    .pipe(
      z
        .number()
        .int()
        .min(min, { error: `must be at least ${min}` })
        .max(max, { error: `must be at most ${max}` }),
    );
}

/** `--temperature 0.7` → 0.7: a plain decimal (no exponent, no sign) within a range. */
export function numberOption(min: number, max: number) {
  return z
    .string()
    .regex(/^\d+(\.\d+)?$/, { error: `must be a number from ${min} to ${max}` })
    .transform(Number)
    .pipe(
      z
        .number()
        .min(min, { error: `must be at least ${min}` })
        .max(max, { error: `must be at most ${max}` }),
    );
}

/** Commander's accumulator for a repeatable option: `--tag a --tag b` → ["a", "b"]. */
export const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/** One value of a fixed list, with the list in the message. */
export function enumOption<const T extends readonly [string, ...string[]]>(values: T) {
  return z.enum(values, { error: `must be one of ${values.join(", ")}` });
}

/** `a,b` → ["a", "b"], each one of `values`. */
export function enumListOption<const T extends readonly [string, ...string[]]>(values: T) {
  return z
    .string()
    .transform((s) =>
      s
        .split(",")
        .map((x) => x.trim())
        .filter(Boolean),
    )
    .pipe(
      z
        .array(z.enum(values, { error: (i) => `${JSON.stringify(i.input)} is not one of ${values.join(", ")}` }))
        .min(1, { error: "give at least one value" }),
    );
}

/**
 * A repeatable option (declared with `collect`) whose values may also be
 * comma-separated: `--capability a,b --capability c` → ["a", "b", "c"],
 * each one of `values`, duplicates dropped.
 */
export function repeatedEnumOption<const T extends readonly [string, ...string[]]>(values: T) {
  return z
    .array(z.string())
    .transform((list) => [
      ...new Set(
        list
          .flatMap((s) => s.split(","))
          .map((x) => x.trim())
          .filter(Boolean),
      ),
    ])
    .pipe(z.array(z.enum(values, { error: (i) => `${JSON.stringify(i.input)} is not one of ${values.join(", ")}` })));
}

const kebab = (key: string) => key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** How an issue path is shown: option keys as `--kebab-name`, positional names (given in `labels`) as-is. */
export function optionLabel(path: readonly PropertyKey[], labels: Record<string, string> = {}): string {
  if (path.length === 0) return "options";
  const key = String(path[0]);
  return labels[key] ?? `--${kebab(key)}`;
}

/**
 * Parses raw commander options with `schema`. Every failing option is listed
 * in the error's details; the message names them so one line is enough.
 */
export function parseOptions<S extends z.ZodType>(
  schema: S,
  raw: unknown,
  labels: Record<string, string> = {},
): z.output<S> {
  const r = schema.safeParse(raw);
  if (r.success) return r.data;
  const details = r.error.issues.map((i) => ({ path: optionLabel(i.path, labels), reason: i.message }));
  const first = details[0];
  const message =
    details.length === 1 && first
      ? `invalid ${first.path}: ${first.reason}`
      : `invalid options: ${[...new Set(details.map((d) => d.path))].join(", ")}`;
  throw new UsageError(message, { details, suggestion: "run the command with --help to see what each option accepts" });
}
