"use client";

import type { SessionView } from "@industrial/contracts";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { getApi } from "@/lib/api";
import { cn } from "@/lib/cn";
import { formatClock, formatCount } from "@/lib/format";
import { qk, useAccess } from "@/lib/queries";
import { canRestore } from "@/lib/status";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { QueryState } from "@/components/ui/query-state";
import { RowsSkeleton } from "@/components/ui/skeleton";
import { useCheckpoints } from "../hooks/use-rewind-data";
import { RestoreDialog } from "./restore-dialog";

/**
 * The state history: checkpoints top to bottom (seq, time, trigger, short
 * hash, chain verified ✓ / broken ✗, tokens then), each with Restore for
 * whoever may control the session (the dialog says what the restore throws
 * away: restore-dialog.tsx). Both lists are re-read when the
 * session's room announces a checkpoint or a restore (session-detail.tsx).
 */
export function CheckpointTimeline({ session }: { session: SessionView }) {
  const id = session.id;
  const [restoring, setRestoring] = useState<number | null>(null);
  const list = useCheckpoints(id);
  const verify = useQuery({
    queryKey: qk.sessionVerify(id),
    queryFn: () => getApi().call("verifyCheckpoints", { params: { id } }),
    enabled: (list.data?.items.length ?? 0) > 0,
  });
  const restorable = canRestore(session);
  const controls = useAccess().canControl(session.createdBy);
  const v = verify.data;
  const mark = (seq: number): "ok" | "broken" | "unknown" =>
    !v ? "unknown" : v.intact || (v.brokenAt !== undefined && seq < v.brokenAt) ? "ok" : "broken";

  return (
    <Card>
      <CardHeader
        title="State history"
        actions={
          v ? (
            <span data-slot="chain" className={cn("label", v.intact ? "text-st-running" : "text-st-failed")}>
              {v.intact ? `✓ chain verified · ${v.checked}` : `✗ broken at #${v.brokenAt}`}
            </span>
          ) : verify.isFetching ? (
            <span className="label text-muted">verifying…</span>
          ) : null
        }
      />
      <QueryState
        query={list}
        loading={<RowsSkeleton className="p-4" rows={3} />}
        isEmpty={(data) => data.items.length === 0}
        empty={
          <p className="p-4 text-sm text-muted">
            No checkpoints yet. One is written after every step the agent finishes.
          </p>
        }
        inset
      >
        {(data) => (
          <ol className="relative flex flex-col px-4 py-3" aria-label="Checkpoints">
            <span aria-hidden className="absolute top-5 bottom-5 left-[1.4rem] w-0.5 bg-line" />
            {data.items.map((c) => {
              const m = mark(c.seq);
              const tokens = c.tokens.input + c.tokens.output + c.tokens.reasoning;
              return (
                <li
                  key={c.seq}
                  data-slot="checkpoint"
                  data-seq={c.seq}
                  data-verified={m}
                  className="relative flex items-start gap-3 py-2"
                >
                  <span
                    aria-hidden
                    className={cn(
                      "relative z-10 mt-0.5 h-3.5 w-3.5 shrink-0 border-2",
                      m === "ok"
                        ? "border-st-running bg-st-running"
                        : m === "broken"
                          ? "border-st-failed bg-st-failed"
                          : "border-line-strong bg-bg",
                    )}
                  />
                  <div className="min-w-0 flex-1">
                    <p className="flex flex-wrap items-center gap-x-3 gap-y-1 text-sm">
                      <span className="num font-bold">#{c.seq}</span>
                      <span className="label text-muted">{c.trigger.replace(/_/g, " ")}</span>
                      <span className="num text-xs text-subtle">{formatClock(c.createdAt)}</span>
                      <span
                        className={cn(
                          "label",
                          m === "ok" ? "text-st-running" : m === "broken" ? "text-st-failed" : "text-subtle",
                        )}
                      >
                        {m === "ok" ? "✓ verified" : m === "broken" ? "✗ broken" : "…"}
                      </span>
                      {c.gitCommit ? (
                        <span
                          data-slot="pushed"
                          data-pushed={c.pushed ? "yes" : "no"}
                          className={cn("label", c.pushed ? "text-muted" : "text-subtle")}
                          title={
                            c.pushed
                              ? `on the work remote ${c.pushed.remote} since ${formatClock(c.pushed.at)}`
                              : "not yet on the work remote: the push is retried in the background"
                          }
                        >
                          {c.pushed ? "↑ pushed" : "not yet pushed"}
                        </span>
                      ) : null}
                    </p>
                    <p className="num mt-0.5 truncate text-xs text-muted">
                      <code title={c.hash}>{c.hash.slice(0, 12)}</code> · {formatCount(tokens)} tok · {c.diffStat.files}{" "}
                      files +{c.diffStat.additions} −{c.diffStat.deletions}
                    </p>
                  </div>
                  {controls ? (
                    <Button
                      size="sm"
                      variant="ghost"
                      disabled={!restorable}
                      aria-label={`Restore checkpoint #${c.seq}`}
                      title={
                        restorable
                          ? undefined
                          : "Restore needs a paused, failed, timed-out or stopped session with no resume waiting"
                      }
                      onClick={() => setRestoring(c.seq)}
                    >
                      Restore
                    </Button>
                  ) : null}
                </li>
              );
            })}
          </ol>
        )}
      </QueryState>
      {restoring !== null ? (
        <RestoreDialog
          session={session}
          seq={restoring}
          checkpoints={list.data?.items ?? []}
          onClose={() => setRestoring(null)}
        />
      ) : null}
    </Card>
  );
}
