import { CAPABILITIES, DEPENDENCY_TYPES, PRIORITIES, SESSION_TYPES, type DependencyType } from "@industrial/core";
import { z } from "zod";
import { enumOption, repeatedEnumOption } from "./options";

/**
 * The syntax of the `tasks` options that are more than one value: an
 * estimate `o,l,p` (hours) and a dependency `<task>[:type]`. Parsed here,
 * at the edge, so a mistake names the option and shows the value.
 */

const HOURS = /^\d+(\.\d+)?$/;
const MAX_HOURS = 10_000;

/** `--estimate 1,2,4` → PERT hours; optimistic ≤ likely ≤ pessimistic. */
export const EstimateOption = z.string().transform((raw, ctx) => {
  const parts = raw.split(",").map((s) => s.trim());
  if (parts.length !== 3 || !parts.every((p) => HOURS.test(p))) {
    ctx.addIssue({
      code: "custom",
      message: `${JSON.stringify(raw)}: give three hours, optimistic,likely,pessimistic (e.g. 1,2,4)`,
    });
    return z.NEVER;
  }
  const [optimistic, likely, pessimistic] = parts.map(Number) as [number, number, number];
  if (pessimistic > MAX_HOURS)
    ctx.addIssue({ code: "custom", message: `${JSON.stringify(raw)}: at most ${MAX_HOURS} hours` });
  else if (!(optimistic <= likely && likely <= pessimistic))
    ctx.addIssue({ code: "custom", message: `${JSON.stringify(raw)}: must satisfy optimistic ≤ likely ≤ pessimistic` });
  return { optimistic, likely, pessimistic };
});

export interface DependsOn {
  /** A task id or id prefix, resolved later through the API. */
  task: string;
  type: DependencyType;
}

/** `abcd1234` or `abcd1234:start_to_start` (ids hold no colon, so the last one splits). */
export function parseDependsOn(raw: string): { ok: true; value: DependsOn } | { ok: false; reason: string } {
  const at = raw.lastIndexOf(":");
  const task = (at === -1 ? raw : raw.slice(0, at)).trim();
  const type = at === -1 ? "finish_to_start" : raw.slice(at + 1).trim();
  if (!task) return { ok: false, reason: `${JSON.stringify(raw)}: give a task id or id prefix before the colon` };
  if (!(DEPENDENCY_TYPES as readonly string[]).includes(type))
    return { ok: false, reason: `${JSON.stringify(raw)}: the type must be one of ${DEPENDENCY_TYPES.join(", ")}` };
  return { ok: true, value: { task, type: type as DependencyType } };
}

export const DependsOnOption = z.string().transform((raw, ctx) => {
  const r = parseDependsOn(raw);
  if (r.ok) return r.value;
  ctx.addIssue({ code: "custom", message: r.reason });
  return z.NEVER;
});

const nonEmpty = z.string().trim().min(1, { error: "must not be empty" });

export const AddTaskOptions = z
  .object({
    title: nonEmpty.max(200, { error: "at most 200 characters" }),
    description: z.string().max(100_000).optional(),
    descriptionFile: nonEmpty.optional(),
    parent: nonEmpty.optional(),
    type: enumOption(SESSION_TYPES).optional(),
    priority: enumOption(PRIORITIES).optional(),
    capability: repeatedEnumOption(CAPABILITIES).optional(),
    estimate: EstimateOption.optional(),
    dependsOn: z.array(DependsOnOption).default([]),
  })
  .superRefine((o, ctx) => {
    if (o.description !== undefined && o.descriptionFile !== undefined)
      ctx.addIssue({
        code: "custom",
        path: ["descriptionFile"],
        message: "give either --description or --description-file, not both",
      });
  });
export type AddTaskOptions = z.output<typeof AddTaskOptions>;
