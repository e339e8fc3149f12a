import { InvalidInputError } from "@industrial/core";

/** A model as OpenCode's API wants it. */
export interface ModelRef {
  providerID: string;
  modelID: string;
}

/**
 * Parses `provider/model`. Only the first slash splits: model ids may hold
 * slashes themselves (`openrouter/anthropic/claude-sonnet-4`).
 */
export function parseModelRef(ref: string): ModelRef {
  const slash = ref.indexOf("/");
  const providerID = ref.slice(0, slash).trim();
  const modelID = ref.slice(slash + 1).trim();
  if (slash <= 0 || !providerID || !modelID) {
    throw new InvalidInputError(`model "${ref}" must look like provider/model (e.g. anthropic/claude-sonnet-4)`, [
      { path: "model", reason: "expected provider/model" },
    ]);
  }
  return { providerID, modelID };
}

/** Every `provider/model` a provider list offers, sorted. */
export function listModelRefs(providers: ReadonlyArray<{ id: string; models: Record<string, unknown> }>): string[] {
  return providers.flatMap((p) => Object.keys(p.models).map((m) => `${p.id}/${m}`)).sort();
}
