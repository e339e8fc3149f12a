import type { AgentView, PatchAgentBody } from "@industrial/contracts";
import { DEFAULT_INPUT_TIMEOUT_SECONDS } from "@industrial/core";
import { allowListErrorAt } from "../../settings/lib/allow-lists";

/**
 * An agent's issue-14 settings as the register and edit dialogs hold them
 * (docs/input-requests.md §3): the fallback models one per line, in the order
 * they are tried; whether OpenCode's question tool asks a person; and how long
 * a request waits for an answer, as typed. Pure.
 */
export interface InputFallbackForm {
  /** One provider/model per line, as typed. */
  fallbackModels: string;
  allowQuestions: boolean;
  /** Seconds; 0: wait forever. */
  inputTimeoutSeconds: string;
}

/** The form for an agent's settings; without one, what a new agent gets. */
export function toInputFallbackForm(
  a?: Pick<AgentView, "fallbackModels" | "allowQuestions" | "inputTimeoutSeconds">,
): InputFallbackForm {
  return {
    fallbackModels: (a?.fallbackModels ?? []).join("\n"),
    allowQuestions: a?.allowQuestions ?? false,
    inputTimeoutSeconds: String(a?.inputTimeoutSeconds ?? DEFAULT_INPUT_TIMEOUT_SECONDS),
  };
}

/**
 * What the request carries: the non-blank lines, trimmed, in order (the API
 * checks each ref and names the entry); the timeout as a number when it is a
 * whole number, left out when empty (the default, or the agent's current one),
 * and as typed otherwise so the API's 400 names the field and its range.
 */
export function toInputFallbackChange(
  f: InputFallbackForm,
): Pick<PatchAgentBody, "fallbackModels" | "allowQuestions" | "inputTimeoutSeconds"> {
  const fallbackModels = f.fallbackModels
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "");
  const t = f.inputTimeoutSeconds.trim();
  const timeout = t === "" ? {} : { inputTimeoutSeconds: (/^\d+$/.test(t) ? Number(t) : t) as number };
  return { fallbackModels, allowQuestions: f.allowQuestions, ...timeout };
}

/** The API's error for the list, quoting the entry it names (`body.fallbackModels.1` → `"gpt-4": must be provider/model`). */
export const fallbackModelsErrorAt = (
  fields: Record<string, string>,
  sent: readonly string[] | undefined,
): string | undefined => allowListErrorAt(fields, "fallbackModels", sent ?? null);
