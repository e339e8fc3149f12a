import type { ApiClient, CreateAgentBody } from "@industrial/contracts";

/** OpenCode permission rules under which every edit first asks a person (an input request). */
export const ASK_BEFORE_EDITS = [{ permission: "edit", pattern: "*", action: "ask" as const }];

/** An implementer agent whose every edit waits for a person's answer. */
export function createAskingAgent(api: ApiClient, name: string, extra: Partial<CreateAgentBody> = {}) {
  return api.call("createAgent", { body: { name, type: "implementer", permissions: ASK_BEFORE_EDITS, ...extra } });
}
