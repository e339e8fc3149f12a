import type { InterruptReason } from "@industrial/core";
import { warmUp } from "./directory-instances";
import type { OcClient, OcSubscription, OcTransport, RunnerLease } from "./ports";

/** How long a concluding attempt waits for its restarting managed runner before judging the turn as it stands. */
const RUNNER_RESTART_WAIT_MS = 30_000;
/** How long a failed call waits for its replica to notice that the runner's process died under it. */
const EXIT_NOTICE_MS = 3000;

export interface RunnerConnectionDeps {
  transport: OcTransport;
  connectTimeoutMs: number;
  /** The attempt is being interrupted: a restarting runner is not waited for. */
  interrupted(): InterruptReason | null;
  /** Waits for a promise unless the attempt is interrupted first (then rejects). */
  unlessInterrupted<T>(p: Promise<T>): Promise<T>;
  onEvent(event: { type: string; properties: unknown }): void;
  onStatus(status: "connected" | "reconnecting", reconnected: boolean): void;
}

/**
 * The attempt's line to its OpenCode runner: where it listens, the client
 * bound to the workspace's directory, and the event stream. A managed
 * runner's process may die under the attempt; its replica restarts it on
 * the same OpenCode store, maybe on another port: this tells whether that
 * happened since the attempt last attached to the process, and follows it
 * (`takeUpRestart`). A remote runner (the lease has no `current`) never restarts here.
 */
export class RunnerConnection {
  /** Where the runner listens now. */
  url: string;
  /** Bound to the workspace's directory once it is known (`attach`). */
  client: OcClient | null = null;
  private dir: string | null = null;
  private sub: OcSubscription | null = null;
  /** Restarts of the managed runner when the attempt last (re)attached to it; null: a remote runner. */
  private seenRestarts: number | null;

  constructor(
    private readonly lease: RunnerLease,
    private readonly deps: RunnerConnectionDeps,
  ) {
    this.url = lease.url;
    this.seenRestarts = lease.current?.()?.restarts ?? null;
  }

  /** Binds the client to the workspace's directory. */
  attach(dir: string): OcClient {
    this.dir = dir;
    return (this.client = this.deps.transport.client(this.url, dir));
  }

  /**
   * OpenCode's model list for the directory (the first call builds its
   * instance). A runner process that died under the call and was restarted
   * is asked again where it listens now, as a turn follows it.
   */
  async warmModels(onRestart: () => void): Promise<{ available: string[]; defaultModel: string | null }> {
    const dir = this.dir!;
    for (let tries = 1; ; tries++) {
      const url = this.url;
      try {
        return await warmUp(url, dir, () => this.deps.transport.client(url, dir, { timeoutMs: 120_000 }).models());
      } catch (e) {
        if (tries >= 3 || this.deps.interrupted() || !(await this.restartedOnceBack({ afterFailedCall: true })))
          throw e;
        this.takeUpRestart();
        onRestart();
      }
    }
  }

  /** Subscribes to the directory's events; resolves once the stream is confirmed (prompt only after it). */
  async subscribe(): Promise<void> {
    this.sub = this.deps.transport.subscribe({
      baseUrl: this.url,
      directory: this.dir!,
      onEvent: (e) => this.deps.onEvent(e),
      onStatus: (s, reconnected) => this.deps.onStatus(s, reconnected),
    });
    let connectTimer: NodeJS.Timeout | undefined;
    await Promise.race([
      this.deps.unlessInterrupted(this.sub.ready),
      new Promise(
        (_, reject) =>
          (connectTimer = setTimeout(
            () => reject(new Error("OpenCode event stream did not connect")),
            this.deps.connectTimeoutMs,
          )),
      ),
    ]).finally(() => clearTimeout(connectTimer));
  }

  close(): void {
    this.sub?.close();
  }

  /** The managed runner died under the attempt and its replica restarted it since the attempt last attached. */
  restarted(): boolean {
    const now = this.lease.current?.();
    return now != null && this.seenRestarts !== null && now.restarts !== this.seenRestarts;
  }

  /**
   * Whether the runner's process died under the attempt, once it is back: a
   * turn that looked finished may have ended with the process (the stream's
   * resync finds the session idle on the new one), and while the process is
   * still restarting there is nothing to tell yet — wait for it (bounded).
   */
  async restartedOnceBack(o: { afterFailedCall?: boolean } = {}): Promise<boolean> {
    const current = this.lease.current;
    if (!current || this.seenRestarts === null) return false;
    // A call cut off by the process's death fails as soon as its socket closes, which can be
    // before the replica has seen the exit (more so under load): give that a moment.
    if (o.afterFailedCall) {
      const noticeBy = Date.now() + EXIT_NOTICE_MS;
      while (Date.now() < noticeBy && current()?.restarts === this.seenRestarts && !this.deps.interrupted())
        await new Promise((r) => setTimeout(r, 100));
    }
    const deadline = Date.now() + RUNNER_RESTART_WAIT_MS;
    let now = current();
    while (now === null && Date.now() < deadline && !this.deps.interrupted()) {
      await new Promise((r) => setTimeout(r, 200));
      now = current();
    }
    return now !== null && now.restarts !== this.seenRestarts;
  }

  /** Follows the restarted process (once `restartedOnceBack` said so): a new stream where it moved. */
  async followRestart(): Promise<void> {
    if (!this.takeUpRestart()) return;
    this.close();
    await this.subscribe();
  }

  /**
   * Attaches to the restarted process: its restart count, and where it
   * listens now (its port may have changed). Whether it moved.
   */
  private takeUpRestart(): boolean {
    const now = this.lease.current!()!;
    this.seenRestarts = now.restarts;
    if (now.url === this.url) return false;
    this.url = now.url;
    this.client = this.deps.transport.client(now.url, this.dir!);
    return true;
  }
}
