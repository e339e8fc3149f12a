"use client";

import { useState } from "react";
import type { ViewType } from "react-diff-view";
import { Card, CardHeader } from "@/components/ui/card";
import { Chip } from "@/components/ui/chip";
import { ErrorPanel } from "@/components/ui/error-panel";
import { RowsSkeleton } from "@/components/ui/skeleton";
import { useSessionDiff } from "../hooks/use-rewind-data";
import { FileDiff } from "./file-diff";

/**
 * Files changed in the worktree against its base, drawn with react-diff-view
 * (README, Dashboard: why this library): syntax-highlighted, unified or
 * split, large files folded, binary files named. One cached copy per
 * session: edits mark it stale (debounced, so a burst of edits costs one
 * `git diff`; session-detail.tsx).
 */
export function DiffView({ sessionId, hasWorkspace }: { sessionId: string; hasWorkspace: boolean }) {
  const diff = useSessionDiff(sessionId, hasWorkspace);
  const [viewType, setViewType] = useState<ViewType>("unified");
  const d = diff.data;
  return (
    <Card>
      <CardHeader
        title="Diff"
        actions={
          d ? (
            <div className="flex flex-wrap items-center gap-3">
              <span className="num text-xs text-muted">
                {d.stat.files} files · <span className="text-st-running">+{d.stat.additions}</span>{" "}
                <span className="text-st-failed">−{d.stat.deletions}</span>
              </span>
              {d.files.length ? (
                <div role="group" aria-label="Diff layout" className="flex gap-1">
                  <Chip pressed={viewType === "unified"} onClick={() => setViewType("unified")}>
                    Unified
                  </Chip>
                  <Chip pressed={viewType === "split"} onClick={() => setViewType("split")}>
                    Split
                  </Chip>
                </div>
              ) : null}
            </div>
          ) : null
        }
      />
      {diff.isError && !d ? (
        <div className="p-4">
          <ErrorPanel title="No diff" error={diff.error} onRetry={() => diff.refetch()} />
        </div>
      ) : !hasWorkspace ? (
        <p className="p-4 text-sm text-muted">No workspace yet: the diff appears once the session starts.</p>
      ) : !d ? (
        <RowsSkeleton className="p-4" rows={2} />
      ) : d.files.length === 0 ? (
        <p className="p-4 text-sm text-muted">No files changed yet.</p>
      ) : (
        <ul className="divide-y-2 divide-line" aria-label="Changed files">
          {d.files.map((f, i) => (
            // Keyed by path and index: a file's fold state survives a refetch of the same diff.
            <FileDiff key={`${i}:${f.path}`} file={f} index={i} viewType={viewType} />
          ))}
        </ul>
      )}
    </Card>
  );
}
