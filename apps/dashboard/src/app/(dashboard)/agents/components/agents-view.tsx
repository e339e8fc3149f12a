"use client";

import { AGENT_TYPES, CAPABILITIES, TIERS } from "@industrial/core";
import { useAccess, useAgents } from "@/lib/queries";
import { listParam } from "@/lib/list-param";
import { useSearchState } from "@/lib/use-search-state";
import { Button } from "@/components/ui/button";
import { FilterChips } from "@/components/ui/filter-chips";
import { EmptyState } from "@/components/ui/empty-state";
import { ErrorPanel } from "@/components/ui/error-panel";
import { Select } from "@/components/ui/input";
import { PageHeader } from "@/components/ui/page-header";
import { Skeleton } from "@/components/ui/skeleton";
import { AgentCard } from "./agent-card";
import { RegisterAgentDialog } from "./register-agent-dialog";

/** The fleet as cards, filtered by type, capability and tier (in the URL); Register agent. */
export function AgentsView() {
  const { params, set } = useSearchState();
  const types = listParam(params.get("type"), AGENT_TYPES);
  const tiers = listParam(params.get("tier"), TIERS);
  const capability = listParam(params.get("capability"), CAPABILITIES)[0] ?? null;
  // Query keys hash by value: a fresh object each render is the same key.
  const query = {
    ...(types.length ? { type: types } : {}),
    ...(tiers.length ? { tier: tiers } : {}),
    ...(capability ? { capability: [capability] } : {}),
  };
  const agents = useAgents(query);
  // Registering agents is the lead's.
  const canRegister = useAccess().can("createAgent");
  const dialogOpen = params.get("register") === "1";
  const setDialog = (open: boolean) => set({ register: open ? "1" : null });

  const create = canRegister ? (
    <Button variant="primary" onClick={() => setDialog(true)}>
      + Register agent
    </Button>
  ) : null;
  return (
    <div className="flex flex-col gap-5">
      <PageHeader
        title="Agents"
        description={
          agents.data ? `${agents.data.total} registered` : "Executor profiles the scheduler routes sessions to."
        }
        actions={create}
      />
      <section aria-label="Filters" className="flex flex-col gap-3">
        <FilterChips label="Type" options={AGENT_TYPES} selected={types} onChange={(next) => set({ type: next })} />
        <FilterChips label="Tier" options={TIERS} selected={tiers} onChange={(next) => set({ tier: next })}>
          <Select
            aria-label="Capability"
            className="ml-auto w-64"
            value={capability ?? ""}
            onChange={(e) => set({ capability: e.target.value || null })}
          >
            <option value="">Any capability</option>
            {CAPABILITIES.map((c) => (
              <option key={c} value={c}>
                {c.replace(/_/g, " ")}
              </option>
            ))}
          </Select>
        </FilterChips>
      </section>
      {agents.isError && !agents.data ? (
        <ErrorPanel title="Could not list agents" error={agents.error} onRetry={() => agents.refetch()} />
      ) : !agents.data ? (
        <div role="status" aria-label="Loading" className="grid grid-cols-1 gap-4 md:grid-cols-2 xl:grid-cols-3">
          {Array.from({ length: 6 }, (_, i) => (
            <Skeleton key={i} className="h-64" />
          ))}
        </div>
      ) : agents.data.items.length === 0 ? (
        <EmptyState
          title={types.length || tiers.length || capability ? "No agent matches" : "No agents"}
          hint={
            types.length || tiers.length || capability
              ? "Clear a filter to see more of the fleet."
              : canRegister
                ? "Register an agent: a type, its capabilities, a model and how many sessions it runs at once."
                : "A lead of this tenant registers agents; they appear here."
          }
          action={create}
        />
      ) : (
        <div className="grid grid-cols-1 gap-4 md:grid-cols-2 xl:grid-cols-3">
          {agents.data.items.map((a) => (
            <AgentCard key={a.id} agent={a} />
          ))}
        </div>
      )}
      {canRegister ? <RegisterAgentDialog open={dialogOpen} onClose={() => setDialog(false)} /> : null}
    </div>
  );
}
