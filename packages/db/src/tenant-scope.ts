/*
 * Child tables (attempts, session_events, checkpoints under sessions;
 * agent_tier_history under agents; context_changes under contexts) have no
 * tenant of their own: a query of them proves its tenant through the parent
 * with one of these conditions, as migration 0008's policies do.
 * `parentId` is a column or a parameter (`$1`); `tenantParam` the number of
 * the parameter that holds the tenant id.
 */

export const sessionOfTenant = (parentId: string, tenantParam: number) =>
  `EXISTS (SELECT 1 FROM sessions s_t WHERE s_t.id = ${parentId} AND s_t.tenant_id = $${tenantParam})`;

export const agentOfTenant = (parentId: string, tenantParam: number) =>
  `EXISTS (SELECT 1 FROM agents a_t WHERE a_t.id = ${parentId} AND a_t.tenant_id = $${tenantParam})`;

export const contextOfTenant = (parentId: string, tenantParam: number) =>
  `EXISTS (SELECT 1 FROM contexts c_t WHERE c_t.id = ${parentId} AND c_t.tenant_id = $${tenantParam})`;
