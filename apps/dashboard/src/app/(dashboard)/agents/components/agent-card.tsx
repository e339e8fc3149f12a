import type { AgentView } from "@industrial/contracts";
import Link from "next/link";
import { formatCost, formatPercent } from "@/lib/format";
import { Badge, StatusDot, TierBadge } from "@/components/ui/badge";
import { Gauge } from "@/components/ui/gauge";
import { toneOf } from "@/lib/status";

const SHOWN_CAPS = 4;

/** One agent: name, type, tier, status, load, success, spend, breaker, capabilities. */
export function AgentCard({ agent }: { agent: AgentView }) {
  const status = agent.maintenance ? "maintenance" : agent.status;
  const extra = agent.capabilities.length - SHOWN_CAPS;
  return (
    <article
      data-slot="agent-card"
      data-agent={agent.name}
      className="flex flex-col gap-3 border-2 border-line bg-panel p-4 shadow-hard hover:border-line-strong"
    >
      <header className="flex items-start justify-between gap-3">
        <div className="min-w-0">
          <h2 className="flex items-center gap-2 text-base font-bold">
            <StatusDot status={status === "active" && agent.running > 0 ? "running" : status} />
            <Link href={`/agents/${agent.id}`} className="truncate hover:text-accent-strong hover:underline">
              {agent.name}
            </Link>
          </h2>
          <p className="label mt-1 text-subtle">
            {agent.type} · {status}
          </p>
        </div>
        <TierBadge tier={agent.tier} />
      </header>
      <Gauge
        label="Load"
        value={agent.running}
        max={agent.maxConcurrent}
        display={`${agent.running} / ${agent.maxConcurrent}`}
        tone="running"
      />
      <dl className="grid grid-cols-3 gap-2 text-sm">
        <div>
          <dt className="label text-subtle">Success</dt>
          <dd className="num">{agent.stats.finished ? formatPercent(agent.stats.successRate) : "—"}</dd>
        </div>
        <div>
          <dt className="label text-subtle">Finished</dt>
          <dd className="num">{agent.stats.finished}</dd>
        </div>
        <div>
          <dt className="label text-subtle">Avg cost</dt>
          <dd className="num">{formatCost(agent.stats.avgCostUsd)}</dd>
        </div>
      </dl>
      <div className="flex items-center gap-2">
        <span className="label text-subtle">Breaker</span>
        <Badge tone={toneOf(agent.breaker.state)}>{agent.breaker.state.replace("_", " ")}</Badge>
      </div>
      <ul className="flex flex-wrap gap-1" aria-label="Capabilities">
        {agent.capabilities.slice(0, SHOWN_CAPS).map((c) => (
          <li key={c} className="border border-line px-1.5 text-[11px] text-muted">
            {c.replace(/_/g, " ")}
          </li>
        ))}
        {extra > 0 ? <li className="border border-line px-1.5 text-[11px] text-accent-strong">+{extra}</li> : null}
      </ul>
    </article>
  );
}
