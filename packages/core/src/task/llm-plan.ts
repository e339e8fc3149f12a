import { z } from "zod";
import { CAPABILITIES } from "../agent/agent";
import type { ErrorDetail } from "../errors";
import { SESSION_TYPES } from "../session/session";
import { computeEstimate } from "./task";
import type { DecompositionPlan, PlannedTask } from "./task-decomposition";
import { findCycle } from "./task-graph";
import { inferFromText } from "./task-heuristics";

const hours = z.number().finite().nonnegative().max(10_000);

/**
 * The JSON an LLM planner (an architect agent in an OpenCode session) must
 * return. Strict: an unknown field is more likely a misunderstanding of the
 * format than something to ignore, and the agent is told the errors.
 */
export const LlmPlanSchema = z.strictObject({
  tasks: z
    .array(
      z.strictObject({
        key: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "must be 1–64 letters, digits, _ or -"),
        title: z.string().trim().min(1).max(200),
        description: z.string().max(20_000),
        type: z.enum(SESSION_TYPES).optional(),
        requiredCapabilities: z.array(z.enum(CAPABILITIES)).optional(),
        hours: z.strictObject({ optimistic: hours, likely: hours, pessimistic: hours }),
        /** Keys of tasks this one waits for (finish_to_start). */
        dependsOn: z.array(z.string()).optional(),
      }),
    )
    .min(1)
    .max(50),
});
export type LlmPlan = z.infer<typeof LlmPlanSchema>;

export type LlmPlanResult = { ok: true; plan: DecompositionPlan } | { ok: false; errors: ErrorDetail[] };

/**
 * Validates an LLM's plan and turns it into a flat DecompositionPlan (every
 * task a direct child, dependencies finish_to_start). Returns every problem
 * at once, each with its dotted path, so they can be sent back to the agent:
 * schema errors first; then duplicate keys, unknown or self dependencies,
 * optimistic ≤ likely ≤ pessimistic, and cycles (named).
 */
export function planFromLlm(json: unknown): LlmPlanResult {
  const parsed = LlmPlanSchema.safeParse(json);
  if (!parsed.success)
    return {
      ok: false,
      errors: parsed.error.issues.map((i) => ({ path: i.path.map(String).join("."), reason: i.message })),
    };
  const { tasks } = parsed.data;
  const errors: ErrorDetail[] = [];

  const firstIndex = new Map<string, number>();
  tasks.forEach((t, i) => {
    const seen = firstIndex.get(t.key);
    if (seen === undefined) firstIndex.set(t.key, i);
    else errors.push({ path: `tasks.${i}.key`, reason: `duplicate key "${t.key}" (also tasks.${seen}.key)` });
  });

  tasks.forEach((t, i) => {
    const { optimistic: o, likely: l, pessimistic: p } = t.hours;
    if (!(o <= l && l <= p))
      errors.push({
        path: `tasks.${i}.hours`,
        reason: `need optimistic ≤ likely ≤ pessimistic (got ${o}, ${l}, ${p})`,
      });
  });

  const edges: { taskId: string; dependsOnTaskId: string }[] = [];
  tasks.forEach((t, i) => {
    // A second task under a taken key is already an error; its edges would only add a confusing cycle.
    if (firstIndex.get(t.key) !== i) return;
    const dependsOn = t.dependsOn ?? [];
    dependsOn.forEach((dep, j) => {
      const path = `tasks.${i}.dependsOn.${j}`;
      if (dependsOn.indexOf(dep) < j) return; // listed twice: once is enough
      const edge = { taskId: t.key, dependsOnTaskId: dep };
      const cycle = firstIndex.has(dep) ? findCycle(edges, edge) : null;
      if (!firstIndex.has(dep)) errors.push({ path, reason: `unknown task key "${dep}"` });
      else if (cycle) errors.push({ path, reason: `dependency cycle: ${cycle.join(" → ")}` });
      else edges.push(edge);
    });
  });
  if (errors.length > 0) return { ok: false, errors };

  const planned = tasks.map((t): PlannedTask => {
    const inferred = inferFromText(`${t.title}\n${t.description}`);
    const requiredCapabilities =
      t.requiredCapabilities && t.requiredCapabilities.length > 0
        ? [...new Set(t.requiredCapabilities)]
        : inferred.capabilities;
    return {
      key: t.key,
      parentKey: null,
      title: t.title,
      description: t.description,
      type: t.type ?? inferred.type,
      requiredCapabilities,
      // The planner is a model, not a person or a history: its numbers are a heuristic.
      estimate: computeEstimate({ ...t.hours, source: "heuristic" }),
    };
  });
  return {
    ok: true,
    plan: {
      template: null,
      tasks: planned,
      edges: edges.map((e) => ({ fromKey: e.dependsOnTaskId, toKey: e.taskId, type: "finish_to_start" })),
    },
  };
}

/**
 * The JSON in an LLM's answer: the last ```json fenced block (the last
 * untagged ``` block when none is tagged), or the whole text when it parses
 * as JSON. Undefined when there is none or it does not parse.
 */
export function extractJsonBlock(text: string): unknown {
  const blocks = [...text.matchAll(/```([A-Za-z]*)[^\S\n]*\n([\s\S]*?)```/g)];
  const tagged = blocks.filter((b) => b[1]!.toLowerCase() === "json");
  const untagged = blocks.filter((b) => b[1] === "");
  const block = tagged.at(-1) ?? untagged.at(-1);
  const candidate = block ? block[2]! : text;
  try {
    return JSON.parse(candidate.trim()) as unknown;
  } catch {
    return undefined;
  }
}
