"use client";

import { useReadiness } from "@/lib/queries";
import { computeSandboxLine } from "@/lib/sandbox-status";
import { Badge } from "@/components/ui/badge";
import { toneBorder } from "@/components/ui/tone";
import { cn } from "@/lib/cn";

/**
 * Whether the managed runners' sessions' commands run sandboxed, as this
 * replica's readiness reports it (docs/sandbox.md). Quiet while readiness has
 * not answered: the runners table carries the page.
 */
export function SandboxStatus() {
  const ready = useReadiness();
  const line = computeSandboxLine(ready.data?.components.sandbox);
  if (!line) return null;
  const loud = line.status === "degraded" || line.status === "down";
  return (
    <div
      role="status"
      data-slot="sandbox-status"
      data-status={line.status}
      // Framed in the tone only when something is wrong: a sandboxed replica is the normal case.
      className={cn(
        "flex flex-wrap items-baseline gap-x-3 gap-y-1 border-2 bg-panel px-4 py-2 shadow-hard",
        loud ? toneBorder[line.tone] : "border-line",
      )}
    >
      <span className="label text-muted">Agents&apos; commands</span>
      <Badge tone={line.tone} fill={loud ? "solid" : "outline"}>
        {line.label}
      </Badge>
      {line.detail ? <p className="min-w-0 text-sm text-muted">{line.detail}</p> : null}
    </div>
  );
}
