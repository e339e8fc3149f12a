import type { Tone } from "@/lib/status";

/**
 * The literal utility classes of each tone (Tailwind only generates classes
 * it can read whole in the source, so they are spelled out here, once).
 */
export const toneText: Record<Tone, string> = {
  running: "text-st-running",
  queued: "text-st-queued",
  completed: "text-st-completed",
  partial: "text-st-partial",
  failed: "text-st-failed",
  paused: "text-st-paused",
  degraded: "text-st-degraded",
  stopped: "text-st-stopped",
  timeout: "text-st-timeout",
  orphaned: "text-st-orphaned",
  accent: "text-accent-strong",
  neutral: "text-muted",
};

export const toneBg: Record<Tone, string> = {
  running: "bg-st-running",
  queued: "bg-st-queued",
  completed: "bg-st-completed",
  partial: "bg-st-partial",
  failed: "bg-st-failed",
  paused: "bg-st-paused",
  degraded: "bg-st-degraded",
  stopped: "bg-st-stopped",
  timeout: "bg-st-timeout",
  orphaned: "bg-st-orphaned",
  accent: "bg-accent",
  neutral: "bg-subtle",
};

export const toneBorder: Record<Tone, string> = {
  running: "border-st-running",
  queued: "border-st-queued",
  completed: "border-st-completed",
  partial: "border-st-partial",
  failed: "border-st-failed",
  paused: "border-st-paused",
  degraded: "border-st-degraded",
  stopped: "border-st-stopped",
  timeout: "border-st-timeout",
  orphaned: "border-st-orphaned",
  accent: "border-accent",
  neutral: "border-line-strong",
};
