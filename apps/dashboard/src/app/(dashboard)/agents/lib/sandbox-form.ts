import type { AgentSandboxChange, AgentSandboxView } from "@industrial/contracts";
import {
  DEFAULT_AGENT_SANDBOX,
  formatMountSpec,
  parseMountSpec,
  type SandboxMount,
  type SandboxNetwork,
} from "@industrial/core";

/**
 * An agent's sandbox policy as the register and edit dialogs hold it: the
 * limits as typed (empty: unlimited) and the mounts one per line in core's
 * `path:ro|rw` syntax, the one the CLI's `--mount` takes. Pure.
 */
export interface SandboxForm {
  network: SandboxNetwork;
  memoryMb: string;
  maxProcesses: string;
  cpuSeconds: string;
  /** One mount per line, as typed. */
  mounts: string;
}

const limitText = (n: number | null) => (n === null ? "" : String(n));

/** The form for a policy; without one, the defaults a new agent gets. */
export function toSandboxForm(s: Readonly<AgentSandboxView> = DEFAULT_AGENT_SANDBOX): SandboxForm {
  return {
    network: s.network,
    memoryMb: limitText(s.memoryMb),
    maxProcesses: limitText(s.maxProcesses),
    cpuSeconds: limitText(s.cpuSeconds),
    mounts: s.mounts.map(formatMountSpec).join("\n"),
  };
}

/**
 * A limit's field as the API takes it: empty is null (unlimited), a whole
 * number is the number, and anything else goes as typed so the API's 400
 * names the field and its range (`Number("abc")` would travel as null and
 * quietly lift the limit).
 */
export function toLimitValue(text: string): number | null | string {
  const t = text.trim();
  if (t === "") return null;
  return /^\d+$/.test(t) ? Number(t) : t;
}

/**
 * The mount lines as mounts, blank lines skipped. A line that is not
 * `path`, `path:ro` or `path:rw` is a problem naming its line: the API cannot
 * name a line it never got, and a typo like `:wr` must not become part of a
 * path. The path's own rules are left to the API.
 */
export function parseMountLines(text: string): { mounts: SandboxMount[]; problems: string[] } {
  const mounts: SandboxMount[] = [];
  const problems: string[] = [];
  text.split("\n").forEach((line, i) => {
    if (line.trim() === "") return;
    const r = parseMountSpec(line);
    if (r.ok) mounts.push(r.mount);
    else problems.push(`line ${i + 1}: ${r.reason}`);
  });
  return { mounts, problems };
}

/**
 * The request's `sandbox`: every field of the form, and the mounts only when
 * the caller may set them (`withMounts`; otherwise they are shown, not sent,
 * so a lead's edit never touches an admin's mounts). `mountProblems` are the
 * lines to fix before anything is sent.
 */
export function toSandboxChange(
  f: SandboxForm,
  withMounts: boolean,
): { change: AgentSandboxChange; mountProblems: string[] } {
  const { mounts, problems } = withMounts ? parseMountLines(f.mounts) : { mounts: [], problems: [] };
  const change = {
    network: f.network,
    memoryMb: toLimitValue(f.memoryMb),
    maxProcesses: toLimitValue(f.maxProcesses),
    cpuSeconds: toLimitValue(f.cpuSeconds),
    ...(withMounts ? { mounts } : {}),
  } as AgentSandboxChange;
  return { change, mountProblems: problems };
}

/**
 * The API's error for the mounts, with the entry it names: its own error
 * first (`sandbox.mounts`: too many, or the admin's), then an entry's
 * (`sandbox.mounts.2.path`), whose reason already starts with the path. The
 * index is of the mounts sent (blank lines dropped), so the entry is named,
 * not the line.
 */
export function mountsErrorAt(fields: Record<string, string>, sent: readonly SandboxMount[]): string | undefined {
  if (fields["sandbox.mounts"]) return fields["sandbox.mounts"];
  for (const [key, reason] of Object.entries(fields)) {
    const m = /^sandbox\.mounts\.(\d+)(?:\.(\w+))?$/.exec(key);
    if (!m) continue;
    const entry = sent[Number(m[1])];
    if (entry && reason.startsWith(entry.path)) return reason;
    return entry ? `${formatMountSpec(entry)}: ${reason}` : `entry ${Number(m[1]) + 1}: ${reason}`;
  }
  return undefined;
}
