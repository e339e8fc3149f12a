import type { ReactNode } from "react";
import { cn, variants } from "@/lib/cn";
import { isLive, statusLabel, toneOf, type Tone } from "@/lib/status";
import { toneBg, toneBorder, toneText } from "./tone";

const badgeClass = variants(
  "inline-flex gap-1.5 border-2 px-1.5 py-px text-[11px] font-bold uppercase tracking-[0.12em] leading-4",
  {
    fill: { outline: "bg-transparent", solid: "text-ink" },
    // words: a label of several words (PARTIALLY COMPLETED) wraps between them inside a narrow cell
    // instead of running over its neighbour; one-word labels never wrap.
    wrap: { none: "items-center whitespace-nowrap", words: "max-w-full items-start whitespace-normal text-left" },
  },
  { fill: "outline", wrap: "none" },
);

/** A badge in one tone: outlined (the default) or filled. */
export function Badge({
  tone = "neutral",
  fill = "outline",
  children,
  className,
}: {
  tone?: Tone;
  fill?: "outline" | "solid";
  children: ReactNode;
  className?: string;
}) {
  return (
    <span
      data-slot="badge"
      className={badgeClass(
        { fill },
        cn(toneBorder[tone], fill === "solid" ? toneBg[tone] : toneText[tone], className),
      )}
    >
      {children}
    </span>
  );
}

/** A square status dot; the live ones pulse. */
export function StatusDot({ status, className }: { status: string; className?: string }) {
  const tone = toneOf(status);
  return (
    <span
      data-slot="status-dot"
      aria-hidden
      className={cn(
        "inline-block h-2.5 w-2.5 shrink-0",
        toneBg[tone],
        isLive(status) && "animate-pulse-square",
        className,
      )}
    />
  );
}

/**
 * A status badge: the status's one colour, a square dot and its upper-case
 * name. It sits in table cells and header stats of any width, so a
 * several-word status wraps between its words (the dot stays on the first line).
 */
export function StatusBadge({ status, className }: { status: string; className?: string }) {
  const tone = toneOf(status);
  return (
    <span
      data-slot="status-badge"
      data-status={status}
      className={badgeClass({ fill: "outline", wrap: "words" }, cn(toneBorder[tone], toneText[tone], className))}
    >
      <StatusDot status={status} className="mt-1 h-2 w-2" />
      {statusLabel(status)}
    </span>
  );
}

const PRIORITY_CLASS: Record<string, string> = {
  critical: "bg-fg text-ink border-fg",
  high: "border-fg text-fg",
  medium: "border-line-strong text-muted",
  low: "border-line text-subtle",
  deferred: "border-line text-subtle border-dashed",
};

/** Priority badges are a monochrome ladder, so they never read as a status. */
export function PriorityBadge({ priority }: { priority: string }) {
  // The filled rung is `solid`: the outline fill's transparent background would win over its bg-fg.
  return (
    <span
      data-slot="priority-badge"
      className={badgeClass(
        { fill: priority === "critical" ? "solid" : "outline" },
        PRIORITY_CLASS[priority] ?? PRIORITY_CLASS.medium,
      )}
    >
      {priority.toUpperCase()}
    </span>
  );
}

const TIER_TONE: Record<string, Tone> = { ELITE: "accent", STANDARD: "neutral", PROBATION: "degraded" };

export function TierBadge({ tier }: { tier: string }) {
  return (
    <Badge tone={TIER_TONE[tier] ?? "neutral"} fill={tier === "ELITE" ? "solid" : "outline"}>
      {tier}
    </Badge>
  );
}

const ROLE_CLASS: Record<string, string> = {
  admin: "bg-fg text-ink border-fg",
  lead: "border-fg text-fg",
  member: "border-line-strong text-muted",
  viewer: "border-line text-subtle",
};

/** A role (admin > lead > member > viewer) as a monochrome ladder: roles are not statuses and take none of their colours. */
export function RoleBadge({ role }: { role: string }) {
  return (
    <span
      data-slot="role-badge"
      data-role={role}
      className={badgeClass({ fill: role === "admin" ? "solid" : "outline" }, ROLE_CLASS[role] ?? ROLE_CLASS.viewer)}
    >
      {role.toUpperCase()}
    </span>
  );
}
