import type { Agent, InterruptReason } from "@industrial/core";
import { resolveOpenCodeAgent } from "../runner/opencode-config";
import type { IdleWatch } from "./idle-watch";
import type { OcClient } from "./ports";

export interface TurnPromptsDeps {
  agent: Agent;
  client(): OcClient | null;
  ocSessionId(): string | null;
  /** The model prompts name (model-fallback.ts); null: OpenCode's default. */
  model(): string | null;
  idle: IdleWatch;
  interrupted(): InterruptReason | null;
  /** Aborts the attempt's OpenCode turn (an interrupt that raced a prompt). */
  abortKnownTurn(): Promise<void>;
}

/**
 * What the attempt tells OpenCode: prompts that start a turn, and follow-ups
 * sent into the running one. A follow-up that arrives before the first
 * prompt went out is held and sent right after it.
 */
export class TurnPrompts {
  private pendingSends: string[] = [];

  constructor(private readonly deps: TurnPromptsDeps) {}

  /** Sends a prompt; a new turn must be seen busy before an idle counts (a follow-up mid-turn keeps the current one). */
  async prompt(text: string, newTurn = true): Promise<void> {
    const { agent, idle } = this.deps;
    if (newTurn) idle.newTurn();
    idle.prompted = true;
    const model = this.deps.model();
    await this.deps.client()!.promptAsync(this.deps.ocSessionId()!, {
      text,
      ...(model ? { model } : {}),
      agent: resolveOpenCodeAgent(agent),
      ...(agent.systemPrompt ? { system: agent.systemPrompt } : {}),
    });
    // An abort sent while the prompt was in flight may have reached OpenCode first.
    const interrupted = this.deps.interrupted();
    if (interrupted && interrupted !== "detach") await this.deps.abortKnownTurn();
    else if (newTurn) for (const t of this.pendingSends.splice(0)) await this.prompt(t, false);
  }

  /** The turn goes on with `text` (a follow-up after a dismissed question, the next model) until it is idle again. */
  async continueTurn(text: string): Promise<void> {
    this.deps.idle.rearm();
    await this.prompt(text);
    await this.deps.idle.wait();
  }

  /** A follow-up: sent into the running turn, or held until the first prompt went out. */
  async send(text: string): Promise<void> {
    if (this.deps.interrupted()) throw new Error("the attempt is being interrupted; the follow-up was not delivered");
    if (!this.deps.ocSessionId() || !this.deps.idle.prompted) {
      this.pendingSends.push(text);
      return;
    }
    await this.prompt(text, false);
  }
}
