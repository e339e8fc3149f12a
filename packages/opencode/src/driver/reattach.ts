import type { AttemptContext, AttemptSink } from "@industrial/core";
import type { IdleWatch } from "./idle-watch";
import type { InputAsks } from "./input-asks";
import { OcAssistantInfo, type OcMessage } from "./opencode-events";
import type { DriverLog, OcClient } from "./ports";
import { composePrompt, DEFAULT_CONTINUATION } from "./prompt";
import type { TurnEvents } from "./turn-events";

export interface ReattachDeps {
  ctx: AttemptContext;
  client(): OcClient | null;
  sink: AttemptSink;
  asks: InputAsks;
  idle: IdleWatch;
  events: TurnEvents;
  log: DriverLog;
  emitLog(level: "warn", text: string): void;
  readMessages(): Promise<OcMessage[]>;
  /** Prompts a new turn of the attempt's OpenCode session. */
  prompt(text: string): Promise<void>;
}

/**
 * Attaches to an OpenCode session another holder (a dead replica) or process
 * (a restarted runner) was driving: keep watching a busy session; conclude an
 * idle finished one; continue an interrupted one.
 */
export async function reattach(id: string, deps: ReattachDeps): Promise<void> {
  const { idle } = deps;
  deps.emitLog("warn", `re-attaching to OpenCode session ${id}`);
  // Asks made while nobody watched (a dead holder, a restarted runner) are re-read from OpenCode.
  await deps.asks.sync();
  const status = (await deps.client()!.sessionStatus())[id];
  deps.log("info", "re-attach", { status: status?.type ?? "idle" });
  // A session adopted while degraded is watched from a healthy stream again.
  deps.sink.health("healthy", "re-attached to the OpenCode session");
  // Events the dead holder had not written yet are rebuilt from OpenCode's own record.
  // (Tool calls only: checkpoints of missed steps come at the end, usage is recomputed there.)
  for (const m of await deps.readMessages())
    for (const part of m.parts) if ((part as { type?: string }).type === "tool") deps.events.onPart(part);
  if (status && status.type !== "idle") {
    idle.prompted = true;
    idle.busySeen = true;
    return;
  }
  const messages = await deps.readMessages();
  const last = messages.at(-1);
  const info = last && OcAssistantInfo.safeParse(last.info);
  if (info?.success && info.data.finish === "stop" && !info.data.error && info.data.time.completed) {
    idle.prompted = true;
    idle.busySeen = true;
    return idle.mark();
  }
  // The holder died before its prompt reached OpenCode: a continuation would carry on a task never given.
  const prompted = messages.some((m) => m.info.role === "user");
  await deps.prompt(prompted ? DEFAULT_CONTINUATION : composePrompt(deps.ctx));
}
