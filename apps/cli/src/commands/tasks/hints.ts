import type { ErrorHints } from "../../handle-error";

/** Suggestions for the API's 404 and 409 answers to the `tasks` commands (the defaults talk about sessions). */
export const TASK_HINTS: ErrorHints = {
  notFound: "list tasks with `orchestrator tasks ls --all` and check the id",
  conflict:
    "check the task's status with `orchestrator tasks show <task>` (or its tree with `orchestrator tasks tree <task>`)",
};
