import {
  judgeAttempt,
  recordAgentOutcome,
  recordBreakerOutcome,
  recordModelCosts,
  type Breaker,
  type BreakerPolicy,
  type ModelUsage,
  type SessionError,
  type SessionStatus,
} from "@industrial/core";
import type { Queryable } from "./database";
import { appendTierChange } from "./agents";
import { listModelsLeftByAttempt } from "./events";
import { agentFromRow } from "./rows";

export interface AttemptEnd {
  /** The session's tenant, which is its agent's. */
  tenantId: string;
  agentId: string;
  runnerId: string | null;
  /** Where the attempt left the session before any retry (completed, failed, timeout, stopped, paused…). */
  status: SessionStatus;
  error: SessionError | null;
  durationSeconds: number;
  tokens: number;
  costUsd: number;
  /** The attempt's usage by model (absent on usage stored before models were told apart). */
  byModel: Record<string, ModelUsage> | undefined;
  /** The attempt, whose model switches its agent's per-model cost record stamps. */
  sessionId: string;
  attempt: number;
  capabilities: readonly string[];
  now: Date;
  policy: BreakerPolicy;
}

/**
 * Folds the end of an attempt into its agent's record (stats, per-model
 * cost, tier, tier history, breaker) and its runner's breaker. Called inside
 * the transaction that writes the end of the attempt, so the record never
 * disagrees with the sessions it counts. Locks session → agent → runner, the order every writer uses.
 *
 * Row locks are `FOR NO KEY UPDATE` everywhere: attempts and events hold
 * `FOR KEY SHARE` on the agent, runner and session rows they reference, and two
 * transactions upgrading those to `FOR UPDATE` deadlock each other.
 *
 * The runner is looked up by id alone: runners are shared (the managed
 * runners' rows belong to the default tenant and serve every tenant's
 * sessions), so this one write crosses tenants. It runs on the scheduler's
 * owner connection (bypassTenantWall), never through forTenant.
 */
export async function recordAttemptEnd(tx: Queryable, end: AttemptEnd): Promise<void> {
  const verdict = judgeAttempt(end.status, end.error);
  const rows = await tx.query("SELECT * FROM agents WHERE id = $1 AND tenant_id = $2 FOR NO KEY UPDATE", [
    end.agentId,
    end.tenantId,
  ]);
  if (rows[0]) {
    const agent = agentFromRow(rows[0]);
    const next = recordAgentOutcome(
      agent,
      {
        verdict: verdict.agent,
        durationSeconds: end.durationSeconds,
        tokens: end.tokens,
        costUsd: end.costUsd,
        capabilities: end.capabilities,
      },
      end.now,
      end.policy,
    );
    // Per model, for routing's cost score (core model-cost.ts): the switches were written in this transaction or earlier runs of the attempt.
    const switchedAway = await listModelsLeftByAttempt(tx, end.tenantId, end.sessionId, end.attempt);
    const costByModel = recordModelCosts(agent.costByModel, {
      verdict: verdict.agent,
      byModel: end.byModel,
      switchedAway,
      now: end.now,
    });
    await tx.query(
      "UPDATE agents SET stats = $3::jsonb, tier = $4, breaker = $5::jsonb, cost_by_model = $6::jsonb, updated_at = now() WHERE id = $1 AND tenant_id = $2",
      [
        agent.id,
        agent.tenantId,
        JSON.stringify(next.stats),
        next.tier,
        JSON.stringify(next.breaker),
        JSON.stringify(costByModel),
      ],
    );
    if (next.tierChanged)
      await appendTierChange(tx, agent, {
        from: agent.tier,
        to: next.tier,
        finished: next.stats.finished,
        successRate: next.stats.successRate,
        reason: `${next.stats.succeeded} of ${next.stats.finished} sessions succeeded`,
      });
  }
  if (end.runnerId) {
    const runner = await tx.query("SELECT breaker FROM runners WHERE id = $1 FOR NO KEY UPDATE", [end.runnerId]);
    if (runner[0]) {
      const breaker = recordBreakerOutcome(runner[0].breaker as Breaker, verdict.runner, end.now, end.policy);
      await tx.query("UPDATE runners SET breaker = $2::jsonb WHERE id = $1", [end.runnerId, JSON.stringify(breaker)]);
    }
  }
}
