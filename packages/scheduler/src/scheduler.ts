import { randomUUID } from "node:crypto";
import {
  classifyOutage,
  coerceError,
  DEFAULT_BREAKER_POLICY,
  systemClock,
  type AttemptDriver,
  type BreakerPolicy,
  type Clock,
} from "@industrial/core";
import {
  admitPending,
  adoptExpiredLeases,
  batchReadSessionRequests,
  bypassTenantWall,
  claimQueued,
  detachedFromRequest,
  takeSessionMessages,
  unqueueUnservedEverywhere,
  type Database,
} from "@industrial/db";
import { AttemptSupervisor, type SupervisedAttempt } from "./attempt-supervisor";
import type { EventBus } from "./event-bus";
import { tellObserver, type SchedulerObserver } from "./observer";
import { silentLogger, type Logger } from "./logger";

export interface SchedulerOptions {
  /** Identity of this process in leases; unique per process. */
  replica: string;
  pollIntervalMs: number;
  adoptIntervalMs: number;
  /** Attempts this replica runs at once at most. */
  maxConcurrentAttempts: number;
  claimBatch: number;
  flushIntervalMs: number;
  leaseRenewMs?: number;
  /**
   * Lease owners known to be dead at start (embedded mode: the data directory
   * lock proves no other process runs), adopted without waiting for expiry.
   */
  adoptOwnersOnStart: string[];
  /** Circuit breakers of agents and runners (docs/domain.md); the cooldown is configurable. */
  breakerPolicy: BreakerPolicy;
  /**
   * How long `stop()` gives running attempts to checkpoint, push and hand
   * their leases back; those not done by then are detached as they are (the
   * lease is still handed back when their end is written).
   */
  handOverMs: number;
}

/** How often the scheduler looks for queued sessions no active agent can take any more. */
const UNSERVED_LOOK_MS = 30_000;

export function defaultSchedulerOptions(): SchedulerOptions {
  return {
    replica: `replica-${randomUUID().slice(0, 8)}`,
    pollIntervalMs: 200,
    // A lease handed back at a peer's shutdown is taken over within about this long.
    adoptIntervalMs: 1000,
    maxConcurrentAttempts: 50,
    claimBatch: 20,
    flushIntervalMs: 50,
    adoptOwnersOnStart: [],
    breakerPolicy: DEFAULT_BREAKER_POLICY,
    handOverMs: 15_000,
  } satisfies SchedulerOptions;
}

export interface SchedulerDeps {
  db: Database;
  driver: AttemptDriver;
  bus: EventBus;
  clock?: Clock;
  logger?: Logger;
  random?: () => number;
  runnerHealthy?: (runnerId: string | null) => boolean;
  observer?: SchedulerObserver;
}

export interface Scheduler {
  readonly replica: string;
  start(): void;
  /**
   * Stops taking work; each running attempt checkpoints and pushes what its
   * workspace holds, then hands its lease back (within `handOverMs`), so
   * another replica adopts it at once instead of after the lease's expiry.
   */
  stop(): Promise<void>;
  /** Runs a tick now (after an API write that may have made work ready). */
  poke(): void;
  /** The supervisor of a session this replica runs, if any. */
  local(sessionId: string): AttemptSupervisor | undefined;
  readonly running: number;
}

/**
 * The loop every replica runs (docs/architecture.md, Scheduling): admission,
 * dispatch, carrying out requested actions, and recovery of expired leases.
 */
export function createScheduler(deps: SchedulerDeps, options: SchedulerOptions): Scheduler {
  const log = (deps.logger ?? silentLogger).child({ component: "scheduler", replica: options.replica });
  // Admission, dispatch, lease adoption and the requests of the sessions it runs span every tenant.
  const db = bypassTenantWall(
    deps.db,
    "scheduler: admission, dispatch, lease adoption and carrying out requests for every tenant",
  );
  const clock = deps.clock ?? systemClock;
  const supervisors = new Map<string, AttemptSupervisor>();
  let timer: NodeJS.Timeout | null = null;
  let stopped = true;
  let ticking: Promise<void> | null = null;
  let again = false;
  let lastAdopt = 0;
  let firstAdopt = true;

  const supervise = (run: SupervisedAttempt) => {
    const sup = new AttemptSupervisor(
      {
        db,
        driver: deps.driver,
        bus: deps.bus,
        replica: options.replica,
        clock,
        logger: log,
        random: deps.random ?? Math.random,
        flushIntervalMs: options.flushIntervalMs,
        breakerPolicy: options.breakerPolicy,
        ...(options.leaseRenewMs ? { leaseRenewMs: options.leaseRenewMs } : {}),
        ...(deps.observer ? { observer: deps.observer } : {}),
      },
      run,
    );
    supervisors.set(run.session.id, sup);
    sup
      .start()
      .catch((e) => log.error({ err: coerceError(e).message, sessionId: run.session.id }, "supervisor crashed"))
      .finally(() => {
        if (supervisors.get(run.session.id) === sup) supervisors.delete(run.session.id);
        poke();
      });
  };

  const carryOutRequests = async () => {
    if (supervisors.size === 0) return;
    for (const r of await batchReadSessionRequests(db, [...supervisors.keys()])) {
      const sup = supervisors.get(r.id);
      if (!sup) continue;
      if (r.requestedAction === "pause" || r.requestedAction === "stop") sup.interrupt(r.requestedAction);
      // The run buffers messages until its OpenCode session is prompted; never block the tick on them.
      else if (r.hasMessages)
        for (const text of await takeSessionMessages(db, r))
          void sup
            .send(text)
            .catch((e) => log.warn({ err: coerceError(e).message, sessionId: r.id }, "follow-up not delivered"));
      // Answers to input requests go on while a pause or stop is carried out: nothing is lost either way.
      if (r.hasReplies) void sup.deliverInput();
    }
  };

  // Set while the database is away: the loop goes on ticking (each tick fails fast) and says so once, not every tick.
  let outageSince: number | null = null;
  let outageThisTick = false;

  // Each stage fails on its own: a broken admission must not stop pause/stop, dispatch or recovery.
  const stage = async (name: string, fn: () => Promise<void>) => {
    try {
      await fn();
    } catch (e) {
      const outage = classifyOutage(e);
      if (!outage) return log.error({ err: coerceError(e).message, stage: name }, "scheduler stage failed");
      outageThisTick = true;
      if (outageSince !== null) return;
      outageSince = Date.now();
      log.warn(
        { err: coerceError(e).message, outage, stage: name },
        "database unavailable; the scheduler keeps trying (running attempts hold their writes)",
      );
    }
  };

  // Queued sessions no agent can take any more go back to pending when an agent changes (the agents service);
  // this look, now and then, catches a change whose own look failed.
  let unservedLookedAt = clock.now().getTime();
  const tick = async () => {
    const now = clock.now();
    outageThisTick = false;
    await stage("admission", async () =>
      deps.bus.publish(await admitPending(db, { now, limit: options.claimBatch * 5 })),
    );
    if (now.getTime() - unservedLookedAt >= UNSERVED_LOOK_MS) {
      unservedLookedAt = now.getTime();
      await stage("unserved", async () => deps.bus.publish(await unqueueUnservedEverywhere(db)));
    }
    await stage("requests", carryOutRequests);
    await stage("dispatch", dispatch);
    await stage("recovery", recover);
    if (outageSince !== null && !outageThisTick) {
      log.info({ downMs: Date.now() - outageSince }, "database reachable again; the scheduler resumed");
      outageSince = null;
    }
  };

  const dispatch = async () => {
    const free = options.maxConcurrentAttempts - supervisors.size;
    if (free > 0) {
      const claims = await claimQueued(db, {
        replica: options.replica,
        limit: Math.min(free, options.claimBatch),
        runnerHealthy: deps.runnerHealthy ?? (() => true),
        now: clock.now(),
      });
      for (const c of claims) {
        deps.bus.publish(c.events);
        tellObserver(log, () => deps.observer?.dispatched?.(c.kind, c.session));
        // The claim is committed: the attempt must be supervised whatever happens next. Messages not taken now stay
        // in the database and reach the running attempt as follow-ups (carryOutRequests).
        const messages =
          c.kind === "resumed"
            ? await takeSessionMessages(db, c.session).catch((e: unknown) => {
                log.warn(
                  { err: coerceError(e).message, sessionId: c.session.id },
                  "follow-up messages not read at resume; delivered later",
                );
                return [] as string[];
              })
            : [];
        supervise({
          session: c.session,
          attempt: c.attempt,
          agent: c.agent,
          mode: c.kind === "resumed" ? "resume" : "start",
          continuation: messages.length ? messages.join("\n\n") : null,
        });
      }
      if (claims.length === options.claimBatch) again = true;
    }
  };

  const recover = async () => {
    if (Date.now() - lastAdopt >= options.adoptIntervalMs && supervisors.size < options.maxConcurrentAttempts) {
      lastAdopt = Date.now();
      const adoptions = await adoptExpiredLeases(db, {
        replica: options.replica,
        supervised: [...supervisors.keys()],
        limit: Math.max(1, options.maxConcurrentAttempts - supervisors.size),
        includeOwners: firstAdopt ? options.adoptOwnersOnStart : [],
      });
      firstAdopt = false;
      for (const a of adoptions) {
        deps.bus.publish(a.events);
        tellObserver(log, () => deps.observer?.dispatched?.("adopted", a.session));
        if (!a.agent) continue;
        log.warn({ sessionId: a.session.id, previousOwner: a.previousOwner }, "adopted an expired lease");
        supervise({
          session: a.session,
          attempt: a.attempt,
          agent: a.agent,
          mode: "adopt",
          continuation: null,
          previousOwner: a.previousOwner,
        });
      }
    }
  };

  // Poked from API requests: the loop's work (and the timers it chains) never runs in that request's context.
  const loop = detachedFromRequest(() => {
    if (stopped) return;
    if (ticking) {
      again = true;
      return;
    }
    ticking = tick()
      .catch((e) => log.error({ err: coerceError(e).message }, "scheduler tick failed"))
      .finally(() => {
        ticking = null;
        if (stopped) return;
        const delay = again ? 0 : options.pollIntervalMs;
        again = false;
        if (timer) clearTimeout(timer);
        timer = setTimeout(loop, delay);
      });
  });

  const poke = () => {
    if (stopped) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(loop, 0);
  };

  return {
    replica: options.replica,
    start() {
      if (!stopped) return;
      stopped = false;
      loop();
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await ticking;
      const running = [...supervisors.values()];
      const deadline = Date.now() + options.handOverMs;
      const handedOver = Promise.allSettled(running.map((s) => s.handOver()));
      await Promise.race([handedOver, new Promise((r) => setTimeout(r, options.handOverMs).unref())]);
      for (const s of running) s.interrupt("detach");
      // Wait for supervisors to hand their leases back (they write nothing else when detaching).
      while (supervisors.size > 0 && Date.now() < deadline + 2000) await new Promise((r) => setTimeout(r, 20));
    },
    poke,
    local: (id) => supervisors.get(id),
    get running() {
      return supervisors.size;
    },
  };
}
