"use client";

import type { SessionView } from "@industrial/contracts";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { getApi } from "@/lib/api";
import { allowedControls } from "@/lib/status";
import { Button } from "@/components/ui/button";
import { useToast } from "@/components/ui/toast";

/** Stop or retry every selected session the state machine allows it for; one toast with the outcome. */
export function BulkBar({ sessions, onDone }: { sessions: SessionView[]; onDone: () => void }) {
  const qc = useQueryClient();
  const toast = useToast();
  const stoppable = sessions.filter((s) => allowedControls(s.status).includes("stop"));
  const retryable = sessions.filter((s) => allowedControls(s.status).includes("retry"));
  const run = useMutation({
    mutationFn: async ({ action, targets }: { action: "stop" | "retry"; targets: SessionView[] }) => {
      const api = getApi();
      const results = await Promise.allSettled(
        targets.map((s) =>
          action === "stop"
            ? api.call("stopSession", { params: { id: s.id } })
            : api.call("retrySession", { params: { id: s.id }, body: {} }),
        ),
      );
      return {
        action,
        ok: results.filter((r) => r.status === "fulfilled").length,
        failed: results.filter((r): r is PromiseRejectedResult => r.status === "rejected"),
      };
    },
    onSuccess: ({ action, ok, failed }) => {
      void qc.invalidateQueries({ queryKey: ["sessions"] });
      if (failed.length) toast.error(failed[0]!.reason, `${action}: ${ok} done, ${failed.length} refused`);
      else toast.ok(`${action}: ${ok} session${ok === 1 ? "" : "s"}`);
      onDone();
    },
    onError: (e) => toast.error(e),
  });
  if (sessions.length === 0) return null;
  return (
    <div
      role="region"
      aria-label="Bulk actions"
      className="flex flex-wrap items-center gap-3 border-2 border-accent bg-raised px-4 py-2"
    >
      <span className="label text-fg">{sessions.length} selected</span>
      <Button
        size="sm"
        variant="danger"
        disabled={!stoppable.length}
        busy={run.isPending && run.variables?.action === "stop"}
        onClick={() => run.mutate({ action: "stop", targets: stoppable })}
      >
        Stop {stoppable.length || ""}
      </Button>
      <Button
        size="sm"
        disabled={!retryable.length}
        busy={run.isPending && run.variables?.action === "retry"}
        onClick={() => run.mutate({ action: "retry", targets: retryable })}
      >
        Retry {retryable.length || ""}
      </Button>
      <Button size="sm" variant="ghost" onClick={onDone}>
        Clear selection
      </Button>
    </div>
  );
}
