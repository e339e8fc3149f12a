"use client";

import type { TenantUsageView } from "@industrial/contracts";
import { formatCost, formatCount, formatTime } from "@/lib/format";
import { Badge } from "@/components/ui/badge";
import { Gauge } from "@/components/ui/gauge";

/**
 * A tenant's month against its limits: running sessions against the quota
 * (queued ones do not count: the quota is applied at dispatch), tokens and
 * cost against the budgets (bars), and whether admission would queue pending
 * sessions now — the API reads this the way admission does.
 */
export function TenantUsagePanel({ usage }: { usage: TenantUsageView }) {
  const s = usage.sessions;
  return (
    <div data-slot="tenant-usage" className="flex flex-col gap-4">
      <div className="flex flex-wrap items-center gap-2">
        {usage.admission.open ? (
          <Badge tone="running">Admission open · {usage.admission.freeSlots} running slots free</Badge>
        ) : (
          <Badge tone="queued">Admission closed</Badge>
        )}
        {usage.admission.reason ? <span className="text-sm text-fg">{usage.admission.reason}</span> : null}
      </div>
      <Gauge
        label="Running sessions"
        value={s.running}
        max={s.maxConcurrent}
        display={`${s.running} / ${s.maxConcurrent}`}
        tone="running"
      />
      <p className="num -mt-2 text-xs text-muted">
        {s.queued} queued · {s.pending} pending
      </p>
      <Gauge
        label="Tokens this month"
        value={usage.tokens.used}
        max={usage.tokens.budget}
        display={
          usage.tokens.budget === null
            ? `${formatCount(usage.tokens.used)} · no budget`
            : `${formatCount(usage.tokens.used)} / ${formatCount(usage.tokens.budget)}`
        }
      />
      <Gauge
        label="Cost this month"
        value={usage.costUsd.used}
        max={usage.costUsd.budget}
        display={
          usage.costUsd.budget === null
            ? `${formatCost(usage.costUsd.used)} · no budget`
            : `${formatCost(usage.costUsd.used)} / ${formatCost(usage.costUsd.budget)}`
        }
      />
      <p className="text-xs text-subtle">
        Sessions created since {formatTime(usage.periodStart)} UTC; a budget is used up once the month&apos;s sum
        reaches it.
      </p>
    </div>
  );
}
