"use client";

import type { TaskTreeNode, TaskView } from "@industrial/contracts";
import Link from "next/link";
import { useState } from "react";
import { cn } from "@/lib/cn";
import { formatHours } from "@/lib/format";
import { Badge, PriorityBadge, StatusBadge } from "@/components/ui/badge";
import { Progress } from "@/components/ui/progress";

type Row = TaskView & { children?: TaskTreeNode[] };

/** One task row: expand toggle, title, status, complexity, estimate, progress on parents. */
export function TaskRow({
  task,
  depth,
  expanded,
  onToggle,
  hasChildren,
  actions,
}: {
  task: Row;
  depth: number;
  expanded: boolean;
  onToggle?: () => void;
  hasChildren: boolean;
  actions?: React.ReactNode;
}) {
  return (
    <div
      data-slot="task-row"
      data-task={task.title}
      className="grid grid-cols-[minmax(0,1fr)_auto] items-center gap-3 border-b border-line px-3 py-2 hover:bg-raised md:grid-cols-[minmax(0,1fr)_9rem_7rem_6rem_10rem_auto]"
    >
      <div className="flex min-w-0 items-center gap-2" style={{ paddingLeft: depth * 20 }}>
        {hasChildren ? (
          <button
            type="button"
            aria-expanded={expanded}
            aria-label={`${expanded ? "Collapse" : "Expand"} ${task.title}`}
            onClick={onToggle}
            className="h-6 w-6 shrink-0 border-2 border-line text-xs text-fg hover:border-fg"
          >
            {expanded ? "−" : "+"}
          </button>
        ) : (
          <span aria-hidden className="h-6 w-6 shrink-0 text-center text-subtle">
            ·
          </span>
        )}
        <Link href={`/tasks/${task.id}`} className="truncate text-sm hover:text-accent-strong hover:underline">
          {task.title}
        </Link>
      </div>
      <div>
        <StatusBadge status={task.status} />
      </div>
      <div className="hidden md:block">
        <Badge>{task.complexity}</Badge>
      </div>
      <div
        className="num hidden text-right text-xs text-muted md:block"
        title={`optimistic ${task.estimate.optimistic}h · likely ${task.estimate.likely}h · pessimistic ${task.estimate.pessimistic}h`}
      >
        {formatHours(task.estimate.expected)} ± {formatHours(task.estimate.stdDev)}
      </div>
      <div className="hidden items-center gap-2 md:flex">
        <Progress
          label={`${task.title} progress`}
          value={task.progress.percent}
          tone={task.status === "failed" ? "failed" : "completed"}
          className="flex-1"
        />
        <span className="num w-10 text-right text-xs">{task.progress.percent}%</span>
      </div>
      <div className="hidden md:flex md:justify-end md:gap-2">
        <PriorityBadge priority={task.priority} />
        {actions}
      </div>
    </div>
  );
}

/** A whole subtree, expandable node by node (parents open by default). */
export function SubTree({ node, depth }: { node: TaskTreeNode; depth: number }) {
  const [open, setOpen] = useState(true);
  return (
    <>
      <TaskRow
        task={node}
        depth={depth}
        expanded={open}
        hasChildren={node.children.length > 0}
        onToggle={() => setOpen((o) => !o)}
      />
      {open ? node.children.map((c) => <SubTree key={c.id} node={c} depth={depth + 1} />) : null}
    </>
  );
}

export function TreeHeader() {
  return (
    <div
      className={cn(
        "hidden border-b-2 border-line px-3 py-2 md:grid md:grid-cols-[minmax(0,1fr)_9rem_7rem_6rem_10rem_auto] md:gap-3",
      )}
    >
      {["Task", "Status", "Complexity", "Estimate", "Progress", "Priority"].map((h, i) => (
        <span key={h} className={cn("label text-muted", i === 3 && "text-right", i === 5 && "text-right")}>
          {h}
        </span>
      ))}
    </div>
  );
}
