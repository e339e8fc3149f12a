import { breakerAdmits, type Breaker } from "./breaker";

/**
 * Pure decisions of a replica's pool of managed runners: which process an
 * attempt gets, whether the pool can take work, and when a process is
 * recycled. The pool (apps/server) reads its processes into slots, calls
 * these, and does what they say.
 */

/** What the pool knows of one of its managed processes. */
export interface ManagedRunnerSlot {
  id: string;
  /** `starting`: being spawned; `running`: serves; `down`: crashed and restarting, or given up. */
  state: "starting" | "running" | "down";
  draining: boolean;
  /** Attempts holding it now. */
  leases: number;
  /** Leases handed out since the process started. */
  served: number;
  breaker: Breaker;
  memoryBytes: number | null;
  /** Since when it has held no lease (ISO); null while an attempt holds it or it starts. */
  idleSince: string | null;
}

export type ManagedRunnerChoice =
  | { kind: "use"; runnerId: string; reason: string }
  /** Start another process (the pool is below its size and every running one is busy). */
  | { kind: "start" }
  /** A process is starting and nothing else fits: wait for it. */
  | { kind: "wait" }
  | { kind: "none"; reason: string };

export interface ManagedRunnerChoiceInput {
  slots: readonly ManagedRunnerSlot[];
  /** How many non-draining processes the pool may run. */
  capacity: number;
  /** The runner the attempt ran on before (resume, adoption): its OpenCode turn may be live there. */
  attemptRunnerId: string | null;
  /** A recent start failed: no new process for now. */
  startBlocked: boolean;
  /** Short maintenance calls (a checkpoint restore) are not trial sessions: breakers do not apply. */
  ignoreBreakers?: boolean;
  now: Date;
}

const admits = (s: ManagedRunnerSlot, input: Pick<ManagedRunnerChoiceInput, "ignoreBreakers" | "now">) =>
  input.ignoreBreakers === true || breakerAdmits(s.breaker, input.now);

/**
 * Picks the managed runner for an attempt: the attempt's own runner when it
 * still runs (even draining: the OpenCode session and maybe its turn live in
 * that process), else an idle one, else the one being started, else a new
 * process while the pool is below its size, else the least loaded. Draining runners and runners whose breaker
 * does not admit are never picked for new work.
 */
export function computeManagedRunnerChoice(input: ManagedRunnerChoiceInput): ManagedRunnerChoice {
  const own = input.attemptRunnerId ? input.slots.find((s) => s.id === input.attemptRunnerId) : undefined;
  if (own && own.state === "running" && admits(own, input))
    return { kind: "use", runnerId: own.id, reason: "the attempt's own runner" };

  const usable = input.slots
    .filter((s) => s.state === "running" && !s.draining && admits(s, input))
    .sort((a, b) => a.leases - b.leases || a.served - b.served || a.id.localeCompare(b.id));
  const best = usable[0];
  if (best && best.leases === 0) return { kind: "use", runnerId: best.id, reason: "idle" };
  const active = input.slots.filter((s) => !s.draining);
  // A process being started will be idle in a moment: one start at a time.
  if (active.some((s) => s.state === "starting")) return { kind: "wait" };
  if (active.length < input.capacity && !input.startBlocked) return { kind: "start" };
  if (best) return { kind: "use", runnerId: best.id, reason: `least loaded (${best.leases} running)` };

  if (input.startBlocked && active.length < input.capacity)
    return { kind: "none", reason: "the managed runner failed to start recently" };
  if (active.some((s) => s.state === "running"))
    return { kind: "none", reason: "every managed runner's circuit breaker is open" };
  if (active.length) return { kind: "none", reason: "every managed runner is restarting" };
  return { kind: "none", reason: "every managed runner is draining" };
}

/**
 * Can the pool take an attempt now (routing's "runner healthy" for agents
 * bound to managed runners)? A process that is starting counts: it serves soon.
 */
export function computeManagedPoolAdmits(
  input: Omit<ManagedRunnerChoiceInput, "attemptRunnerId" | "ignoreBreakers">,
): boolean {
  const active = input.slots.filter((s) => !s.draining);
  if (active.some((s) => s.state === "starting")) return true;
  if (active.some((s) => s.state === "running" && admits(s, input))) return true;
  return active.length < input.capacity && !input.startBlocked;
}

/**
 * Why a managed runner is to be recycled now, or null. Only a process that
 * has served work is recycled for its memory: a fresh one over the limit
 * means the limit is below OpenCode's idle footprint, and replacing it would
 * start another just like it (the pool warns instead).
 */
export function computeRecycleReason(slot: ManagedRunnerSlot, limitBytes: number | null): string | null {
  if (limitBytes === null || slot.state !== "running" || slot.draining || slot.memoryBytes === null) return null;
  if (slot.memoryBytes <= limitBytes || slot.served === 0) return null;
  const mib = (b: number) => Math.round(b / 1024 / 1024);
  return `memory ${mib(slot.memoryBytes)} MiB is over the limit of ${mib(limitBytes)} MiB`;
}

/**
 * The managed runner to stop because the load went down, or null: of the
 * processes idle for `idleMs` or more, the one idle longest (at equal times,
 * the one that served least: its OpenCode instances are the coldest). One per
 * call, so the pool shrinks a process at a time, and only while another
 * process runs and admits work (the next session starts on a warm process;
 * a process still starting may fail to). `idleMs` ≤ 0: never.
 */
export function computeIdleRunnerToStop(slots: readonly ManagedRunnerSlot[], now: Date, idleMs: number): string | null {
  if (idleMs <= 0) return null;
  const idleFor = (s: ManagedRunnerSlot) => (s.idleSince === null ? -1 : now.getTime() - Date.parse(s.idleSince));
  const idle = slots
    .filter((s) => s.state === "running" && !s.draining && s.leases === 0 && idleFor(s) >= idleMs)
    .sort((a, b) => idleFor(b) - idleFor(a) || a.served - b.served || a.id.localeCompare(b.id));
  const victim = idle[0];
  if (!victim) return null;
  // Another process that takes work now: not one still starting (its start may fail), nor one whose breaker is open.
  const othersServing = slots.filter(
    (s) => s.id !== victim.id && !s.draining && s.state === "running" && breakerAdmits(s.breaker, now),
  );
  return othersServing.length > 0 ? victim.id : null;
}
