import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { ApiClient, SessionView } from "@industrial/contracts";
import { allEvents, scripted, waitForStatus } from "./harness";

/** The bash tool call that runs `commands` with `vars.sh` sourced first, all output into `out.txt`. */
function commandSteps(title: string, commands: string, vars: Record<string, string>): unknown[] {
  const env = Object.entries(vars)
    .map(([k, v]) => `${k}='${v}'`)
    .join("\n");
  return [
    { tool: "write", input: { filePath: "vars.sh", content: `${env}\n` } },
    { tool: "bash", input: { command: `{ . ./vars.sh; ${commands}; } > out.txt 2>&1`, description: title } },
    { text: "done" },
  ];
}

/**
 * Runs `commands` as one bash tool call of a new session (on `agentId` when
 * given) and waits for it to end; `session` is its last view. `vars` are
 * written to a file first and sourced: OpenCode's own permission check reads
 * absolute paths out of a command and denies those outside the folder, and an
 * agent steered by a prompt injection would hide them just so — the sandbox
 * must hold anyway.
 */
export async function startCommands(
  api: ApiClient,
  input: {
    title: string;
    commands: string;
    vars?: Record<string, string>;
    agentId?: string;
    maxAttempts?: number;
    repository?: string;
  },
): Promise<SessionView> {
  const s = await api.call("createSession", {
    body: {
      title: input.title,
      prompt: scripted(input.title, commandSteps(input.title, input.commands, input.vars ?? {})),
      retry: { maxAttempts: input.maxAttempts ?? 1 },
      ...(input.agentId ? { preferredAgentId: input.agentId } : {}),
      ...(input.repository ? { repository: input.repository } : {}),
    },
  });
  return waitForStatus(api, s.id, ["completed", "failed"], 90_000);
}

/**
 * As startCommands, for a session that must complete: what the commands
 * printed (`out.txt` of the session's folder, read from the host).
 */
export async function runCommands(
  api: ApiClient,
  input: { title: string; commands: string; vars?: Record<string, string>; agentId?: string; repository?: string },
): Promise<{ session: SessionView; ws: string; out: string }> {
  const done = await startCommands(api, input);
  if (done.status !== "completed")
    throw new Error(`session ${done.id} ${done.status}: ${done.statusReason ?? ""} ${JSON.stringify(done.error)}`);
  const ws = done.workspace.path!;
  if (!existsSync(join(ws, "out.txt")))
    throw new Error(
      `no out.txt: ${JSON.stringify((await allEvents(api, done.id)).filter((e) => e.type === "session.tool").map((e) => e.payload)).slice(0, 2000)}`,
    );
  return { session: done, ws, out: readFileSync(join(ws, "out.txt"), "utf8") };
}
