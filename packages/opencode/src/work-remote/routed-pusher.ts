import { computePushTarget } from "@industrial/core";
import { createCheckpointPusher, type CheckpointPusher, type CheckpointPusherOptions } from "./checkpoint-pusher";
import type { WorkRemote } from "../workspace/work-remote";

export interface RoutedPusherOptions extends Omit<CheckpointPusherOptions, "remote"> {
  /** ORCHESTRATOR_WORK_REMOTE: where checkpoints go unless a push names another remote. */
  work: WorkRemote;
  /** A session's origin (a URL repository pushed to itself), with the work remote's credentials setup. */
  remoteFor(url: string): WorkRemote;
}

/**
 * The checkpoint pusher of a replica: one pusher per remote, the work
 * remote's and, made on first use, one per URL repository that sessions push
 * to (`CheckpointPush.remote`). Each keeps its own per-session lease state:
 * a session's branch lives on one remote. `flush`, `pending` and `stop` span them all.
 */
export function createRoutedCheckpointPusher(options: RoutedPusherOptions): CheckpointPusher {
  const { work, remoteFor, ...rest } = options;
  const workPusher = createCheckpointPusher({ ...rest, remote: work });
  const origins = new Map<string, CheckpointPusher>();
  const all = () => [workPusher, ...origins.values()];
  const pusherFor = (url: string | null | undefined): CheckpointPusher => {
    if (!url) return workPusher;
    let p = origins.get(url);
    if (!p) origins.set(url, (p = createCheckpointPusher({ ...rest, remote: remoteFor(url) })));
    return p;
  };
  let stopped = false;
  return {
    remote: work,
    remoteOf(workspace) {
      const target = computePushTarget(workspace);
      return target.kind === "origin" ? pusherFor(target.url).remote : work;
    },
    push(job) {
      if (!stopped) pusherFor(job.remote).push(job);
    },
    async flush(sessionId) {
      return (await Promise.all(all().map((p) => p.flush(sessionId)))).every(Boolean);
    },
    pending(sessionId) {
      return [...new Set(all().flatMap((p) => p.pending(sessionId)))].sort((a, b) => a - b);
    },
    async stop() {
      stopped = true;
      await Promise.all(all().map((p) => p.stop()));
    },
  };
}
