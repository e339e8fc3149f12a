import { ApiError } from "@industrial/contracts";
import type { Cluster } from "./cluster";

/**
 * Calls every living, unfrozen replica's API twice a second while a fault
 * runs (a session list, as a dashboard does). A replica being killed may not
 * answer at all and one whose database restarts answers 503 UNAVAILABLE;
 * anything else — a 500 above all — is a problem, named with its request id.
 */
export function probeApis(cluster: Cluster, intervalMs = 500): { problems: string[]; stop(): void } {
  const problems: string[] = [];
  let stopped = false;
  const seen = new Set<string>();
  const loop = async () => {
    while (!stopped) {
      await Promise.all(
        cluster
          .living()
          .filter((r) => !r.frozen)
          .map(async (r) => {
            try {
              await r.api.call("listSessions", { query: { limit: 5 } });
            } catch (e) {
              if (!(e instanceof ApiError) || e.status === 503) return;
              const key = `${r.id} ${e.status} ${e.code}`;
              if (seen.has(key)) return;
              seen.add(key);
              problems.push(
                `API of ${r.id}: GET /sessions answered ${e.status} ${e.code}: ${e.message} (request ${e.envelope.requestId})`,
              );
            }
          }),
      );
      await new Promise((res) => setTimeout(res, intervalMs));
    }
  };
  const done = loop();
  return {
    problems,
    stop() {
      stopped = true;
      void done;
    },
  };
}
