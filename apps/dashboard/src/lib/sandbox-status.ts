import type { Tone } from "./status";

/** Readiness's `sandbox` component (GET /health/ready). */
export interface SandboxComponent {
  status: "up" | "down" | "standby" | "degraded";
  detail?: string | undefined;
}

export interface SandboxLine {
  status: SandboxComponent["status"];
  tone: Tone;
  /** What a person must take in at a glance: sandboxed, unsandboxed, or sessions refused. */
  label: string;
  /** The server's own words: the mechanism, or why not and what to do. */
  detail: string;
}

/** The server's detail starts by restating the state ("unsandboxed: …"); the label already says it. */
const STATE_PREFIX = /^(unsandboxed|sessions refused|no managed runners):\s*/i;

/**
 * The Runners page's line on whether sessions' commands are sandboxed
 * (docs/sandbox.md), from readiness's `sandbox` component. Unsandboxed and
 * refused are loud on purpose: the first lets any agent command read every
 * session's files, the second fails every session on managed runners.
 * Null when the server reports no such component.
 */
export function computeSandboxLine(component: SandboxComponent | undefined): SandboxLine | null {
  if (!component) return null;
  const detail = (component.detail ?? "").replace(STATE_PREFIX, "");
  switch (component.status) {
    case "up":
      // The runners' healthy green: all is as it should be.
      return { status: "up", tone: "running", label: "Sandboxed: bubblewrap", detail };
    case "degraded":
      return { status: "degraded", tone: "degraded", label: "UNSANDBOXED", detail };
    case "down":
      return { status: "down", tone: "failed", label: "Sessions refused", detail };
    case "standby":
      return { status: "standby", tone: "neutral", label: "No managed runners", detail };
  }
}
