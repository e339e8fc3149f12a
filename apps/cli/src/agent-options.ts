import { CreateAgentBody, ModelRef, PermissionRuleSchema, Uuid, type PatchAgentBody } from "@industrial/contracts";
import {
  AGENT_TYPES,
  CAPABILITIES,
  MAX_INPUT_TIMEOUT_SECONDS,
  PERMISSION_ACTIONS,
  type PermissionRule,
} from "@industrial/core";
import { z } from "zod";
import { enumOption, intOption, numberOption, repeatedEnumOption } from "./options";
import { SandboxOptionFields, toSandboxChange } from "./sandbox-options";

/**
 * Option values of the `agents` commands, parsed at the edge like every CLI
 * option (options.ts): a bad value is a UsageError naming its flag.
 */

const PERMISSION_SYNTAX = "expected permission=action or permission:pattern=action (e.g. edit=deny, bash:git *=allow)";

/**
 * One `--permission` value as an OpenCode permission rule:
 * `edit=deny` → {permission: edit, pattern: *, action: deny};
 * `bash:git *=allow` → {permission: bash, pattern: "git *", action: allow}.
 * The action follows the last `=` and the permission ends at the first `:`,
 * so a pattern may itself contain `=` or `:` (`bash:FOO=1 make=ask`).
 * Returns the reason it is not a rule, naming the value.
 */
export function parsePermissionFlag(raw: string): { ok: true; rule: PermissionRule } | { ok: false; reason: string } {
  const fail = (why: string) => ({ ok: false as const, reason: `${JSON.stringify(raw)}: ${why}` });
  const eq = raw.lastIndexOf("=");
  if (eq < 0) return fail(PERMISSION_SYNTAX);
  const action = raw.slice(eq + 1).trim();
  const left = raw.slice(0, eq);
  const colon = left.indexOf(":");
  const permission = (colon < 0 ? left : left.slice(0, colon)).trim();
  const pattern = colon < 0 ? "*" : left.slice(colon + 1);
  if (!permission) return fail(PERMISSION_SYNTAX);
  if (!(PERMISSION_ACTIONS as readonly string[]).includes(action))
    return fail(`the action must be one of ${PERMISSION_ACTIONS.join(", ")}`);
  if (colon >= 0 && pattern.trim() === "")
    return fail("the pattern after `:` is empty (leave `:` out to match everything)");
  // The API's own rule schema checks the permission name and the pattern's length.
  const r = PermissionRuleSchema.safeParse({ permission, pattern, action });
  if (!r.success) {
    const issue = r.error.issues[0];
    return fail(`${String(issue?.path[0] ?? "rule")} ${issue?.message ?? "is invalid"}`);
  }
  return { ok: true, rule: r.data };
}

/** `--permission` values (repeatable) → rules, in the order given (OpenCode: the last matching rule wins). */
export const PermissionFlags = z.array(
  z.string().transform((raw, ctx) => {
    const r = parsePermissionFlag(raw);
    if (r.ok) return r.rule;
    ctx.addIssue({ code: "custom", message: r.reason });
    return z.NEVER;
  }),
);

/** The settings `agents add` and `agents update` both take. */
const ProfileOptionFields = {
  model: ModelRef.optional(),
  opencodeAgent: CreateAgentBody.shape.openCodeAgent.unwrap().optional(),
  systemPrompt: z.string().trim().min(1, { error: "must not be empty" }).max(20_000).optional(),
  systemPromptFile: z.string().min(1).optional(),
  temperature: numberOption(0, 2).optional(),
  maxConcurrent: intOption(1, 50).optional(),
  runner: Uuid.optional(),
  /** `--fallback-model` (repeatable), in order; the API's own list rules (ModelRef, at most 5, no duplicates). */
  fallbackModel: CreateAgentBody.shape.fallbackModels.unwrap().optional(),
  /** `--allow-questions` / `--no-allow-questions`; neither: unchanged (commander leaves it undefined). */
  allowQuestions: z.boolean().optional(),
  /** `--input-timeout <seconds>`, 0: wait forever. */
  inputTimeout: intOption(0, MAX_INPUT_TIMEOUT_SECONDS).optional(),
  ...SandboxOptionFields,
};

const onePrompt = (o: { systemPrompt?: string | undefined; systemPromptFile?: string | undefined }) =>
  !(o.systemPrompt !== undefined && o.systemPromptFile !== undefined);
const ONE_PROMPT = {
  path: ["systemPromptFile"],
  error: "give either --system-prompt or --system-prompt-file, not both",
};

export const AddAgentOptions = z
  .object({
    name: CreateAgentBody.shape.name,
    type: enumOption(AGENT_TYPES),
    capability: repeatedEnumOption(CAPABILITIES).default([]),
    permission: PermissionFlags.default([]),
    ...ProfileOptionFields,
  })
  .refine(onePrompt, ONE_PROMPT);
export type AddAgentOptions = z.output<typeof AddAgentOptions>;

/** The request body of `agents add`; `systemPrompt` is the flag's text or the file's contents. */
export function toCreateAgentBody(o: AddAgentOptions, systemPrompt: string | undefined): CreateAgentBody {
  return {
    name: o.name,
    type: o.type,
    capabilities: o.capability,
    permissions: o.permission,
    ...profileChange(o, systemPrompt, toSandboxChange(o)),
  };
}

/** The profile settings `agents add` and `agents update` share: each one given, and nothing for one not given. */
function profileChange(
  o: Pick<
    AddAgentOptions,
    | "model"
    | "opencodeAgent"
    | "temperature"
    | "maxConcurrent"
    | "runner"
    | "fallbackModel"
    | "allowQuestions"
    | "inputTimeout"
  >,
  systemPrompt: string | undefined,
  sandbox: ReturnType<typeof toSandboxChange>,
  clearFallbacks = false,
): PatchAgentBody {
  return {
    ...(o.model ? { model: o.model } : {}),
    ...(o.opencodeAgent ? { openCodeAgent: o.opencodeAgent } : {}),
    ...(systemPrompt !== undefined ? { systemPrompt } : {}),
    ...(o.temperature !== undefined ? { temperature: o.temperature } : {}),
    ...(o.maxConcurrent !== undefined ? { maxConcurrent: o.maxConcurrent } : {}),
    ...(o.runner ? { runnerId: o.runner } : {}),
    ...(sandbox ? { sandbox } : {}),
    ...(o.fallbackModel !== undefined
      ? { fallbackModels: o.fallbackModel }
      : clearFallbacks
        ? { fallbackModels: [] }
        : {}),
    ...(o.allowQuestions !== undefined ? { allowQuestions: o.allowQuestions } : {}),
    ...(o.inputTimeout !== undefined ? { inputTimeoutSeconds: o.inputTimeout } : {}),
  };
}

/**
 * `agents update`: the settings given change, the others stay. `--mount`
 * replaces the whole mount list; `--no-mounts` (commander's `mounts: false`)
 * removes every mount. `--fallback-model` and `--no-fallback-models` alike.
 */
export const UpdateAgentOptions = z
  .object({ ...ProfileOptionFields, mounts: z.boolean().default(true), fallbackModels: z.boolean().default(true) })
  .refine(onePrompt, ONE_PROMPT)
  .refine((o) => !(o.mount !== undefined && !o.mounts), {
    path: ["mount"],
    error: "give either --mount or --no-mounts, not both",
  })
  .refine((o) => !(o.fallbackModel !== undefined && !o.fallbackModels), {
    path: ["fallbackModel"],
    error: "give either --fallback-model or --no-fallback-models, not both",
  });
export type UpdateAgentOptions = z.output<typeof UpdateAgentOptions>;

/** The PATCH body of `agents update`, or null when no setting was given. */
export function toPatchAgentBody(o: UpdateAgentOptions, systemPrompt: string | undefined): PatchAgentBody | null {
  const body = profileChange(o, systemPrompt, toSandboxChange(o, !o.mounts), !o.fallbackModels);
  return Object.keys(body).length ? body : null;
}
