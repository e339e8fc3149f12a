import { CAPABILITIES, type Capability } from "../agent/agent";
import type { SessionType } from "../session/session";

/**
 * Keyword rules from text to capabilities (docs/domain.md, Tasks).
 * Patterns match word starts, so "tests", "testing", "designs" count.
 */
const CAPABILITY_RULES: readonly { pattern: RegExp; capabilities: readonly Capability[] }[] = [
  { pattern: /\bdesign/i, capabilities: ["system_design"] },
  { pattern: /\btest/i, capabilities: ["test_generation"] },
  { pattern: /\b(security|secure|audit)/i, capabilities: ["security_audit"] },
  // Whole words only: "fixture" and "prefix" are not fixes.
  { pattern: /\b(fix|fixes|fixed|fixing|debug\w*|bugs?)\b/i, capabilities: ["debugging"] },
  { pattern: /\brefactor/i, capabilities: ["refactoring"] },
  { pattern: /\b(document|docs\b|readme)/i, capabilities: ["documentation"] },
  { pattern: /\bdeploy/i, capabilities: ["deployment"] },
  { pattern: /\b(optimi[sz]|performance)/i, capabilities: ["optimization", "performance_analysis"] },
  { pattern: /\breview/i, capabilities: ["code_review"] },
  { pattern: /\bimplement/i, capabilities: ["code_generation"] },
];

/** What a task needs when its text names nothing else: someone to write the code. */
export const DEFAULT_CAPABILITY: Capability = "code_generation";

/** Capabilities the keyword rules find in `text`, in CAPABILITIES order; empty when none match (no default). */
export function inferCapabilities(text: string): Capability[] {
  const found = new Set(CAPABILITY_RULES.filter((r) => r.pattern.test(text)).flatMap((r) => r.capabilities));
  return CAPABILITIES.filter((c) => found.has(c));
}

/** The session type that fits a set of capabilities: writing code wins over reviewing, which wins over designing. */
export function inferSessionType(capabilities: readonly Capability[]): SessionType {
  const has = (...cs: Capability[]) => cs.some((c) => capabilities.includes(c));
  if (has("debugging")) return "debug";
  if (has("code_generation", "test_generation", "refactoring", "optimization", "documentation")) return "execution";
  if (has("code_review", "security_audit")) return "review";
  if (has("system_design")) return "planning";
  if (has("deployment")) return "integration";
  return "execution";
}

export const HEURISTIC_HOURS = {
  min: 0.25,
  max: 40,
  base: 0.5,
  perWord: 0.1,
  bigFactor: 1.5,
  maxBigWords: 3,
  smallFactor: 0.5,
} as const;
const BIG_WORDS = /\b(system|architecture|migrat\w*|rewrite|redesign|entire|whole|platform|framework|across)\b/gi;
const SMALL_WORDS = /\b(typo|rename|bump|tweak|minor|small|tiny|trivial|simple|quick|one-line)\b/i;

/**
 * Hours from the text alone, for want of anything better:
 * 0.5 h + 0.1 h per word (a one-line ask is about 1 h, a 40-word paragraph
 * 4.5 h); × 1.5 for each distinct scope-widening word (system, architecture,
 * migration, rewrite, redesign, entire, whole, platform, framework, across;
 * at most three); × 0.5 when a scope-narrowing word appears (typo, rename,
 * bump, tweak, minor, small, tiny, trivial, simple, quick, one-line); rounded
 * to the quarter hour and clamped to [0.25, 40].
 */
export function estimateHoursFromText(text: string): number {
  const h = HEURISTIC_HOURS;
  const words = text.split(/\s+/).filter(Boolean).length;
  const big = new Set((text.match(BIG_WORDS) ?? []).map((w) => w.toLowerCase().replace(/^migrat\w*/, "migrat"))).size;
  let hours = (h.base + h.perWord * words) * h.bigFactor ** Math.min(big, h.maxBigWords);
  if (SMALL_WORDS.test(text)) hours *= h.smallFactor;
  return Math.min(h.max, Math.max(h.min, Math.round(hours * 4) / 4));
}

/** Hours and capabilities inferred from a task's text; code_generation when no rule matches. */
export function inferFromText(text: string): { hours: number; capabilities: Capability[]; type: SessionType } {
  const matched = inferCapabilities(text);
  const capabilities = matched.length > 0 ? matched : [DEFAULT_CAPABILITY];
  return { hours: estimateHoursFromText(text), capabilities, type: inferSessionType(capabilities) };
}
