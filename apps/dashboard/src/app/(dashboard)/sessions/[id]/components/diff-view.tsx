"use client";

import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { getApi } from "@/lib/api";
import { cn } from "@/lib/cn";
import { diffLineClass } from "@/lib/diff-lines";
import { qk } from "@/lib/queries";
import { Card, CardHeader } from "@/components/ui/card";
import { ErrorPanel } from "@/components/ui/error-panel";
import { RowsSkeleton } from "@/components/ui/skeleton";

const STATUS_MARK: Record<string, { mark: string; cls: string }> = {
  added: { mark: "A", cls: "text-st-running border-st-running" },
  modified: { mark: "M", cls: "text-st-queued border-st-queued" },
  deleted: { mark: "D", cls: "text-st-failed border-st-failed" },
  renamed: { mark: "R", cls: "text-st-completed border-st-completed" },
};

/**
 * Files changed in the worktree against its base, each with its unified
 * diff. One cached copy per session: edits mark it stale (debounced, so a
 * burst of edits costs one `git diff`; session-detail.tsx).
 */
export function DiffView({ sessionId, hasWorkspace }: { sessionId: string; hasWorkspace: boolean }) {
  // Before the first attempt there is no worktree to diff (the API answers 409): wait for one.
  const diff = useQuery({
    queryKey: qk.sessionDiff(sessionId),
    queryFn: () => getApi().call("sessionDiff", { params: { id: sessionId } }),
    retry: false,
    placeholderData: (p) => p,
    enabled: hasWorkspace,
  });
  const [open, setOpen] = useState<string | null>(null);
  return (
    <Card>
      <CardHeader
        title="Diff"
        actions={diff.data ? <span className="num text-xs text-muted">{diff.data.stat.files} files · <span className="text-st-running">+{diff.data.stat.additions}</span> <span className="text-st-failed">−{diff.data.stat.deletions}</span></span> : null}
      />
      {diff.isError && !diff.data ? (
        <div className="p-4">
          <ErrorPanel title="No diff" error={diff.error} onRetry={() => diff.refetch()} />
        </div>
      ) : !hasWorkspace ? (
        <p className="p-4 text-sm text-muted">No workspace yet: the diff appears once the session starts.</p>
      ) : !diff.data ? (
        <RowsSkeleton className="p-4" rows={2} />
      ) : diff.data.files.length === 0 ? (
        <p className="p-4 text-sm text-muted">No files changed yet.</p>
      ) : (
        <ul className="divide-y-2 divide-line">
          {diff.data.files.map((f) => {
            const s = STATUS_MARK[f.status] ?? STATUS_MARK.modified!;
            const isOpen = open === f.path || diff.data.files.length === 1;
            return (
              <li key={f.path} data-slot="diff-file">
                <button type="button" aria-expanded={isOpen} onClick={() => setOpen(isOpen ? null : f.path)} className="flex w-full items-center gap-3 px-4 py-2 text-left text-sm hover:bg-raised">
                  <span className={cn("label border-2 px-1", s.cls)}>{s.mark}</span>
                  <span className="min-w-0 flex-1 truncate">{f.path}</span>
                  <span className="num text-xs text-st-running">+{f.additions}</span>
                  <span className="num text-xs text-st-failed">−{f.deletions}</span>
                </button>
                {isOpen ? (
                  <pre className="max-h-96 overflow-auto border-t-2 border-line bg-bg py-2 text-[12px] leading-5">
                    {f.patch.split("\n").map((l, i) => (
                      <div key={i} className={cn("px-4 whitespace-pre", diffLineClass(l))}>
                        {l || " "}
                      </div>
                    ))}
                  </pre>
                ) : null}
              </li>
            );
          })}
        </ul>
      )}
    </Card>
  );
}
