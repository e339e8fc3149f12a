import type { AgentView } from "@industrial/contracts";
import type { Command } from "commander";
import { z } from "zod";
import type { CliContext } from "../../context";
import { formatAgentStatus } from "../../format/agent";
import { enumOption, parseOptions } from "../../options";
import { resolveAgentId } from "../../resolve-id";
import { action, argument } from "../../run-command";
import { AGENT_HINTS } from "./hints";

/** What drain and maintenance print: the agent's status and load afterwards (or the AgentView under --json). */
function printAgentState(ctx: CliContext, verb: string, a: AgentView): void {
  if (ctx.json) return ctx.emitJson(a);
  const c = ctx.colors;
  const reason = a.maintenanceReason ? c.gray(` (${a.maintenanceReason})`) : "";
  const finishing =
    a.status === "draining" && a.running
      ? `; its ${a.running} running session${a.running === 1 ? "" : "s"} finish first`
      : "";
  ctx.out(
    `${verb}: ${c.bold(a.name)} is ${formatAgentStatus(a, c)}${reason}, ${a.running}/${a.maxConcurrent} running${finishing}`,
  );
}

const MaintenanceOptions = z
  .object({
    mode: enumOption(["on", "off"]),
    reason: z.string().trim().min(1, { error: "must not be empty" }).max(500).optional(),
  })
  .refine((o) => !(o.mode === "off" && o.reason !== undefined), { path: ["reason"], error: "--reason goes with `on`" });

const RmOptions = z.object({ force: z.boolean().default(false) });

export function registerAgentsLifecycle(agents: Command): void {
  agents
    .command("drain")
    .description("let the agent finish its running sessions and route no new ones to it")
    .argument("<agent>", "agent id, id prefix or name")
    .action(
      action(async (ctx, cmd) => {
        const id = await resolveAgentId(ctx.client, argument(cmd));
        printAgentState(ctx, "drain", await ctx.client.call("drainAgent", { params: { id } }));
      }, AGENT_HINTS),
    );

  agents
    .command("maintenance")
    .description("switch maintenance mode on (no new sessions) or off")
    .argument("<agent>", "agent id, id prefix or name")
    .argument("<on|off>", "on or off")
    .option("--reason <text>", "why (shown by ls and show), with `on`")
    .action(
      action(async (ctx, cmd) => {
        const o = parseOptions(MaintenanceOptions, { ...cmd.opts(), mode: argument(cmd, 1) }, { mode: "<on|off>" });
        const id = await resolveAgentId(ctx.client, argument(cmd));
        const body = { enabled: o.mode === "on", ...(o.reason ? { reason: o.reason } : {}) };
        printAgentState(ctx, "maintenance", await ctx.client.call("maintenanceAgent", { params: { id }, body }));
      }, AGENT_HINTS),
    );

  agents
    .command("rm")
    .description("remove an agent that runs nothing (--force stops its sessions first)")
    .argument("<agent>", "agent id, id prefix or name")
    .option("--force", "stop its running and paused sessions, then remove it")
    .action(
      action(
        async (ctx, cmd) => {
          const o = parseOptions(RmOptions, cmd.opts());
          const given = argument(cmd);
          const id = await resolveAgentId(ctx.client, given);
          const res = await ctx.client.call("deleteAgent", { params: { id }, query: o.force ? { force: "true" } : {} });
          if (ctx.json) return ctx.emitJson(res);
          ctx.out(`removed agent ${ctx.colors.bold(given)}${given === id ? "" : ctx.colors.gray(` (${id})`)}`);
          if (res.stoppedSessions.length)
            ctx.out(
              `stopped ${res.stoppedSessions.length} session${res.stoppedSessions.length === 1 ? "" : "s"}: ${res.stoppedSessions.join(", ")}`,
            );
        },
        {
          ...AGENT_HINTS,
          conflict:
            "drain it first (`orchestrator agents drain <agent>`) and remove it once idle, or use --force to stop its sessions",
        },
      ),
    );
}
