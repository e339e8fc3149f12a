import { emptyAgentStats } from "../agent";
import { closedBreaker } from "../breaker";
import type { RoutingCandidate } from "../routing";

/**
 * For tests of routing and dispatch: an active STANDARD implementer of
 * tenant "t" with a free slot, a closed breaker, a healthy runner and no
 * record yet; `over` changes what a test is about.
 */
export function routingCandidate(id: string, over: Partial<RoutingCandidate> = {}): RoutingCandidate {
  return {
    id,
    tenantId: "t",
    name: id,
    type: "implementer",
    capabilities: [],
    maxConcurrent: 2,
    status: "active",
    maintenance: false,
    tier: "STANDARD",
    stats: emptyAgentStats(),
    model: null,
    fallbackModels: [],
    costByModel: {},
    breaker: closedBreaker(),
    running: 0,
    lastAssignedAt: null,
    runnerHealthy: true,
    ...over,
  };
}
