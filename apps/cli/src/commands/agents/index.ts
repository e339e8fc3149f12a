import type { Command } from "commander";
import { registerAgentsAdd } from "./add";
import { registerAgentsLifecycle } from "./lifecycle";
import { registerAgentsLs } from "./ls";
import { registerAgentsRoute } from "./route";
import { registerAgentsShow } from "./show";
import { registerAgentsUpdate } from "./update";

/**
 * `orchestrator agents …`: the agent fleet through the Agents API. Every
 * subcommand that takes an agent accepts its id, an id prefix or its name
 * (resolve-id.ts); 404 and 409 hints point at `agents ls` / `agents show`.
 */
export function registerAgents(program: Command): void {
  const agents = program
    .command("agents")
    .description("the agent fleet: ls, show, add, update, drain, maintenance, rm, route");
  for (const register of [
    registerAgentsLs,
    registerAgentsShow,
    registerAgentsAdd,
    registerAgentsUpdate,
    registerAgentsLifecycle,
    registerAgentsRoute,
  ])
    register(agents);
}
