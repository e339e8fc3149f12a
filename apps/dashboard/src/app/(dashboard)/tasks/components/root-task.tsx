"use client";

import type { TaskView } from "@industrial/contracts";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { getApi } from "@/lib/api";
import { qk, usePoll } from "@/lib/queries";
import { Button } from "@/components/ui/button";
import { ErrorPanel } from "@/components/ui/error-panel";
import { RowsSkeleton } from "@/components/ui/skeleton";
import { SubTree, TaskRow } from "./task-tree";

/** A root task; expanding it loads its tree (live while it runs). Decompose only when the role may (`onDecompose` null otherwise). */
export function RootTask({ task, onDecompose }: { task: TaskView; onDecompose: ((t: TaskView) => void) | null }) {
  const [open, setOpen] = useState(false);
  const hasChildren = task.progress.total > 1 || task.status === "running";
  const tree = useQuery({
    queryKey: qk.taskTree(task.id),
    queryFn: () => getApi().call("taskTree", { params: { id: task.id } }),
    enabled: open,
    // The tasks room marks this tree stale when anything in it moves (lib/stale-keys.ts); polling only while the feed is down.
    refetchInterval: usePoll(task.status === "running" ? 1500 : 10_000),
  });
  const children = tree.data?.root.children ?? [];
  return (
    <div>
      <TaskRow
        task={task}
        depth={0}
        expanded={open}
        hasChildren={hasChildren || children.length > 0}
        onToggle={() => setOpen((o) => !o)}
        actions={
          onDecompose && task.status === "pending" && task.progress.total <= 1 ? (
            <Button size="sm" variant="ghost" onClick={() => onDecompose(task)}>
              Decompose
            </Button>
          ) : null
        }
      />
      {open ? (
        tree.isError && !tree.data ? (
          <div className="p-3">
            <ErrorPanel error={tree.error} onRetry={() => tree.refetch()} />
          </div>
        ) : !tree.data ? (
          <RowsSkeleton rows={2} className="p-3" />
        ) : children.length === 0 ? (
          <p className="border-b border-line px-12 py-2 text-xs text-muted">
            No subtasks. Decompose it to plan the work.
          </p>
        ) : (
          children.map((c) => <SubTree key={c.id} node={c} depth={1} />)
        )
      ) : null}
    </div>
  );
}
