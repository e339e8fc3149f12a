"use client";

import { AGENT_TYPES, CAPABILITIES, TIERS } from "@industrial/core";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useAccess, useAgents } from "@/lib/queries";
import { Button } from "@/components/ui/button";
import { Chip } from "@/components/ui/chip";
import { EmptyState } from "@/components/ui/empty-state";
import { ErrorPanel } from "@/components/ui/error-panel";
import { Select } from "@/components/ui/input";
import { PageHeader } from "@/components/ui/page-header";
import { Skeleton } from "@/components/ui/skeleton";
import { AgentCard } from "./agent-card";
import { RegisterAgentDialog } from "./register-agent-dialog";

function pick<T extends string>(raw: string | null, allowed: readonly T[]): T[] {
  const parts = (raw ?? "").split(",");
  return allowed.filter((a) => parts.includes(a));
}

/** The fleet as cards, filtered by type, capability and tier (in the URL); Register agent. */
export function AgentsView() {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const types = pick(params.get("type"), AGENT_TYPES);
  const tiers = pick(params.get("tier"), TIERS);
  const capability = pick(params.get("capability"), CAPABILITIES)[0] ?? null;
  // Query keys hash by value: a fresh object each render is the same key.
  const query = { ...(types.length ? { type: types } : {}), ...(tiers.length ? { tier: tiers } : {}), ...(capability ? { capability: [capability] } : {}) };
  const agents = useAgents(query);
  // Registering agents is the lead's.
  const canRegister = useAccess().can("createAgent");
  const update = (key: string, values: string[]) => {
    const p = new URLSearchParams(params.toString());
    if (values.length) p.set(key, values.join(","));
    else p.delete(key);
    const qs = p.toString().replace(/%2C/g, ",");
    router.replace(qs ? `${pathname}?${qs}` : pathname, { scroll: false });
  };
  const toggle = (key: string, list: string[], v: string) => update(key, list.includes(v) ? list.filter((x) => x !== v) : [...list, v]);
  const dialogOpen = params.get("register") === "1";
  const setDialog = (open: boolean) => update("register", open ? ["1"] : []);

  return (
    <div className="flex flex-col gap-5">
      <PageHeader
        title="Agents"
        description={agents.data ? `${agents.data.total} registered` : "Executor profiles the scheduler routes sessions to."}
        actions={
          canRegister ? (
            <Button variant="primary" onClick={() => setDialog(true)}>
              + Register agent
            </Button>
          ) : null
        }
      />
      <section aria-label="Filters" className="flex flex-col gap-3">
        <div className="flex flex-wrap items-center gap-1.5" role="group" aria-label="Type">
          <span className="label mr-2 text-subtle">Type</span>
          {AGENT_TYPES.map((t) => (
            <Chip key={t} pressed={types.includes(t)} onClick={() => toggle("type", types, t)}>
              {t}
            </Chip>
          ))}
        </div>
        <div className="flex flex-wrap items-center gap-1.5" role="group" aria-label="Tier">
          <span className="label mr-2 text-subtle">Tier</span>
          {TIERS.map((t) => (
            <Chip key={t} pressed={tiers.includes(t)} onClick={() => toggle("tier", tiers, t)}>
              {t}
            </Chip>
          ))}
          <Select aria-label="Capability" className="ml-auto w-64" value={capability ?? ""} onChange={(e) => update("capability", e.target.value ? [e.target.value] : [])}>
            <option value="">Any capability</option>
            {CAPABILITIES.map((c) => (
              <option key={c} value={c}>
                {c.replace(/_/g, " ")}
              </option>
            ))}
          </Select>
        </div>
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
          action={
            canRegister ? (
              <Button variant="primary" onClick={() => setDialog(true)}>
                + Register agent
              </Button>
            ) : undefined
          }
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
