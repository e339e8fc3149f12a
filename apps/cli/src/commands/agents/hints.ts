import type { ErrorHints } from "../../handle-error";

/** Suggestions for the API's 404 and 409 answers to the `agents` commands (the defaults talk about sessions). */
export const AGENT_HINTS: ErrorHints = {
  notFound: "list agents with `orchestrator agents ls` and check the id or name",
  conflict: "check the agent's status and load with `orchestrator agents show <id|name>`",
};
