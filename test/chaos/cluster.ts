import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { createApiClient, type ApiClient } from "@industrial/contracts";
import { killReplica, processesMarkedUnder, startServerProcess } from "@industrial/server/testing/server-process";
import { bearer, parsePrometheusText, promValue, startTcpProxy, type TcpProxy } from "@industrial/testkit";

/**
 * The chaos suite's cluster: orchestrator processes (`orchestrator start`,
 * each leading a process group of its own, as a pod) on one PostgreSQL and
 * one Redis, each with a data dir of its own, in demo mode against one
 * scripted model running outside the pods (as a provider does), pushing to
 * one work remote served by `git daemon`. A slot is a pod name; each start of
 * a slot is an incarnation with its own replica id, so the attempts table
 * and the model's log (by the data dir its requests' working directories lie
 * in) say which process did what.
 */
export interface ClusterOptions {
  /** The suite's folder: data dirs (`pods/<incarnation id>`) and process logs go under it. */
  root: string;
  /** The scripted model every replica's runners use (ORCHESTRATOR_DEMO_MODEL_URL). */
  modelUrl: string;
  databaseUrl: string;
  redisUrl: string;
  /** `git daemon`'s port; each incarnation reaches it through a TCP proxy of its own (a partition can cut one pod off). */
  gitPort: number;
  replicas: number;
  env?: Record<string, string>;
}

export interface Incarnation {
  /** Its replica id (`r<slot>.<n>`), as leases and `session.attempt` events name it. */
  readonly id: string;
  readonly slot: number;
  /** `<root>/pods/<id>`, or its predecessor's in the slot when restarted with `sameDataDir`. */
  readonly dataDir: string;
  /** When its process was spawned. */
  readonly startedAt: number;
  /** When it was killed or stopped (null: it runs). */
  endedAt: number | null;
  /** Set when the process ended without being told to (a crash: the suite fails on it). */
  crashed: string | null;
  frozen: boolean;
  readonly api: ApiClient;
  readonly gitProxy: TcpProxy;
  /** `orchestrator_stale_writes_total` at its last reading (a killed process's counters die with it: read before). */
  stale: { database: number; git: number };
  readonly kill: () => Promise<void>;
  readonly pid: number;
  output(): string;
}

export class Cluster {
  readonly incarnations: Incarnation[] = [];
  private readonly bySlot = new Map<number, Incarnation>();
  private readonly starts = new Map<number, number>();

  constructor(private readonly o: ClusterOptions) {
    mkdirSync(join(o.root, "logs"), { recursive: true });
  }

  get slots(): number[] {
    return Array.from({ length: this.o.replicas }, (_, i) => i + 1);
  }

  living(): Incarnation[] {
    return [...this.bySlot.values()].filter((r) => r.endedAt === null);
  }

  at(slot: number): Incarnation {
    const r = this.bySlot.get(slot);
    if (!r || r.endedAt !== null) throw new Error(`no replica runs in slot ${slot}`);
    return r;
  }

  /**
   * Starts slot `slot`: a new pod with an empty data dir, or (`sameDataDir`)
   * the same pod's container restarted on the data dir it had.
   */
  async start(slot: number, options: { sameDataDir?: boolean } = {}): Promise<Incarnation> {
    const n = (this.starts.get(slot) ?? 0) + 1;
    this.starts.set(slot, n);
    const id = `r${slot}.${n}`;
    const previous = this.bySlot.get(slot);
    const dataDir = options.sameDataDir && previous ? previous.dataDir : join(this.o.root, "pods", id);
    const gitProxy = await startTcpProxy({ host: "127.0.0.1", port: this.o.gitPort });
    const startedAt = Date.now();
    const s = await startServerProcess(
      {
        DATABASE_URL: this.o.databaseUrl,
        REDIS_URL: this.o.redisUrl,
        ORCHESTRATOR_DATA_DIR: dataDir,
        ORCHESTRATOR_REPLICA_ID: id,
        ORCHESTRATOR_WORK_REMOTE: `git://127.0.0.1:${gitProxy.port}/work.git`,
        ORCHESTRATOR_DEMO_MODEL_URL: this.o.modelUrl,
        ORCHESTRATOR_DASHBOARD: "off",
        LOG_LEVEL: "info",
        LOG_FORMAT: "json",
        ...this.o.env,
      },
      ["--demo"],
      { ownGroup: true },
    ).catch(async (e) => {
      await gitProxy.close();
      throw e;
    });
    const logFile = join(this.o.root, "logs", `${id}.log`);
    const inc: Incarnation = {
      id,
      slot,
      dataDir,
      startedAt,
      endedAt: null,
      crashed: null,
      frozen: false,
      api: createApiClient({ baseUrl: s.url, headers: bearer(), timeoutMs: 15_000 }),
      gitProxy,
      stale: { database: 0, git: 0 },
      pid: s.child.pid!,
      output: s.output,
      kill: async () => {
        await killReplica(s.child, dataDir);
        await gitProxy.close();
        writeFileSync(logFile, s.output());
      },
    };
    s.child.once("exit", (code, signal) => {
      if (inc.endedAt !== null) return;
      inc.endedAt = Date.now();
      inc.crashed = `exited by itself (${code ?? signal})`;
      writeFileSync(logFile, s.output());
      void gitProxy.close();
    });
    this.incarnations.push(inc);
    this.bySlot.set(slot, inc);
    return inc;
  }

  /** A pod's death: `kill -9` of its process group and its managed runners (their tools too), after reading its counters. */
  async kill(slot: number): Promise<Incarnation> {
    const r = this.bySlot.get(slot);
    if (!r) throw new Error(`slot ${slot} never started`);
    if (r.endedAt !== null) return r;
    if (!r.frozen) await this.readStale(r).catch(() => undefined);
    r.endedAt = Date.now();
    if (r.frozen) this.signalPod(r, "SIGCONT");
    await r.kill();
    return r;
  }

  /** Freezes the whole pod (the server's group, its runners and their tools) with SIGSTOP. */
  freeze(slot: number): Incarnation {
    const r = this.at(slot);
    r.frozen = true;
    this.signalPod(r, "SIGSTOP");
    return r;
  }

  thaw(slot: number): Incarnation {
    const r = this.at(slot);
    this.signalPod(r, "SIGCONT");
    r.frozen = false;
    return r;
  }

  /** Pids of this pod's managed `opencode serve` processes (found by the marker they inherit). */
  runnerPids(slot: number): number[] {
    return processesMarkedUnder(this.at(slot).dataDir).filter((pid) => /\bopencode\b.*\bserve\b/.test(cmdline(pid)));
  }

  /** Reads `orchestrator_stale_writes_total{kind}` of a living replica. */
  async readStale(r: Incarnation): Promise<Incarnation["stale"]> {
    const res = await fetch(`${r.api.baseUrl}/metrics`, { signal: AbortSignal.timeout(3000) });
    const samples = parsePrometheusText(await res.text());
    r.stale = {
      database: promValue(samples, "orchestrator_stale_writes_total", { kind: "database" }),
      git: promValue(samples, "orchestrator_stale_writes_total", { kind: "git" }),
    };
    return r.stale;
  }

  /** Every incarnation's stale writes at its last reading (the living ones read now). */
  async staleTotals(): Promise<Incarnation["stale"]> {
    for (const r of this.living()) if (!r.frozen) await this.readStale(r).catch(() => undefined);
    return this.incarnations.reduce((t, r) => ({ database: t.database + r.stale.database, git: t.git + r.stale.git }), {
      database: 0,
      git: 0,
    });
  }

  /**
   * Calls the API on a living, unfrozen replica, another one when it does
   * not answer (killed meanwhile) or is unavailable (503 while the database
   * restarts), for up to `timeoutMs`.
   */
  async call<T>(fn: (api: ApiClient) => Promise<T>, timeoutMs = 60_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (let i = 0; ; i++) {
      const candidates = this.living().filter((r) => !r.frozen);
      const r = candidates[i % Math.max(1, candidates.length)];
      try {
        if (!r) throw new Error("no replica is running");
        return await fn(r.api);
      } catch (e) {
        const status = (e as { status?: number }).status;
        const retryable = status === undefined || status === 503 || status === 429;
        if (!retryable || Date.now() > deadline) throw e;
        await new Promise((res) => setTimeout(res, 200));
      }
    }
  }

  /** Ends every process the cluster started, whatever state it is in. */
  async stopAll(): Promise<void> {
    for (const r of this.living()) await this.kill(r.slot).catch(() => undefined);
  }

  private signalPod(r: Incarnation, signal: NodeJS.Signals): void {
    for (const pid of [-r.pid, ...processesMarkedUnder(r.dataDir)]) {
      try {
        process.kill(pid, signal);
      } catch {
        // gone already
      }
    }
  }
}

function cmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "latin1").replace(/\0/g, " ");
  } catch {
    return "";
  }
}
