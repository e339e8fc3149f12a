"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useState, type FormEvent } from "react";
import { getApi } from "@/lib/api";
import { useApiMutation } from "@/lib/use-api-mutation";
import { fieldErrorsOf } from "@/lib/field-errors";
import { formatHours, formatTime, shortId } from "@/lib/format";
import { qk, useAccess } from "@/lib/queries";
import { Badge, PriorityBadge, StatusBadge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { FormActions } from "@/components/ui/form-actions";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { Dialog } from "@/components/ui/dialog";
import { ErrorPanel } from "@/components/ui/error-panel";
import { Field, Input } from "@/components/ui/input";
import { PageHeader } from "@/components/ui/page-header";
import { Progress } from "@/components/ui/progress";
import { PageSkeleton, RowsSkeleton } from "@/components/ui/skeleton";
import { KeyValues } from "@/components/ui/stat";
import { useToast } from "@/components/ui/toast";
import { DecomposeDialog, NewTaskDialog } from "../../components/task-dialogs";
import { SubTree, TreeHeader } from "../../components/task-tree";
import { useTaskRoom } from "../hooks/use-task-room";
import { DagView } from "./dag-view";

const LIVE = ["running", "ready"];

/** One task: the DAG with its critical path, the tree, Execute / Cancel / Decompose. */
export function TaskDetail({ id }: { id: string }) {
  const qc = useQueryClient();
  const toast = useToast();
  const [executing, setExecuting] = useState(false);
  const [decomposing, setDecomposing] = useState(false);
  const [adding, setAdding] = useState(false);
  // A member may work on tasks (the server refuses it another's task: 403 in a toast); a viewer only reads.
  const works = useAccess().can("executeTask");
  // Its own room announces every change under it; polling is only for while that socket is down.
  const room = useTaskRoom(id);
  const poll = (ms: number) => (room === "open" ? false : ms);
  const task = useQuery({
    queryKey: qk.task(id),
    queryFn: () => getApi().call("getTask", { params: { id } }),
    refetchInterval: (q) => poll(q.state.data && LIVE.includes(q.state.data.status) ? 1000 : 5000),
  });
  const live = task.data ? LIVE.includes(task.data.status) : false;
  const graph = useQuery({
    queryKey: qk.taskGraph(id),
    queryFn: () => getApi().call("taskGraph", { params: { id } }),
    refetchInterval: poll(live ? 1000 : 10_000),
  });
  const tree = useQuery({
    queryKey: qk.taskTree(id),
    queryFn: () => getApi().call("taskTree", { params: { id } }),
    refetchInterval: poll(live ? 1000 : 10_000),
  });
  const cancel = useMutation({
    mutationFn: () => getApi().call("cancelTask", { params: { id }, body: {} }),
    onSuccess: (r) => {
      void qc.invalidateQueries({ queryKey: ["task"] });
      toast.ok(`Cancelled; ${r.stoppedSessions.length} session(s) stopped`);
    },
    onError: (e) => toast.error(e, "Cancel refused"),
  });

  if (task.isPending) return <PageSkeleton />;
  if (task.isError && !task.data)
    return <ErrorPanel title="Could not load the task" error={task.error} onRetry={() => task.refetch()} />;
  const t = task.data;
  const isRoot = t.parentTaskId === null;
  const children = tree.data?.root.children ?? [];
  return (
    <div className="flex flex-col gap-5">
      <PageHeader
        eyebrow={
          <Link href={isRoot ? "/tasks" : `/tasks/${t.rootTaskId}`} className="hover:text-fg">
            ← {isRoot ? "Tasks" : "Root task"} / {shortId(t.id)}
          </Link>
        }
        title={t.title}
        description={t.description || undefined}
        actions={
          works ? (
            <div className="flex flex-wrap gap-2">
              {children.length === 0 && t.status === "pending" ? (
                <Button size="sm" onClick={() => setDecomposing(true)}>
                  Decompose
                </Button>
              ) : null}
              <Button size="sm" onClick={() => setAdding(true)}>
                + Subtask
              </Button>
              {/* A tree runs once: the API refuses a second execution (409). */}
              {isRoot && t.execution === null ? (
                <Button size="sm" variant="primary" onClick={() => setExecuting(true)}>
                  Execute
                </Button>
              ) : null}
              {["running", "ready", "pending"].includes(t.status) ? (
                <Button size="sm" variant="danger" busy={cancel.isPending} onClick={() => cancel.mutate()}>
                  Cancel
                </Button>
              ) : null}
            </div>
          ) : null
        }
      />
      <Card>
        <CardBody className="flex flex-col gap-4">
          <KeyValues
            items={[
              { label: "Status", value: <StatusBadge status={t.status} /> },
              { label: "Priority", value: <PriorityBadge priority={t.priority} /> },
              { label: "Complexity", value: <Badge>{t.complexity}</Badge> },
              {
                label: "Estimate",
                value: `${formatHours(t.estimate.expected)} ± ${formatHours(t.estimate.stdDev)} (${t.estimate.source})`,
              },
              {
                label: "Critical path",
                value: graph.data
                  ? `${formatHours(graph.data.totalHours)} · ${graph.data.criticalPath.length} tasks`
                  : "…",
              },
              {
                label: "Session",
                value: t.sessionId ? (
                  <Link href={`/sessions/${t.sessionId}`} className="text-accent-strong hover:underline">
                    {shortId(t.sessionId)}
                  </Link>
                ) : (
                  "—"
                ),
              },
              { label: "Type", value: t.type },
              { label: "Started", value: formatTime(t.startedAt) },
              { label: "Completed", value: formatTime(t.completedAt) },
              { label: "Branch", value: t.execution?.branch ?? "—" },
              { label: "Capabilities", value: t.requiredCapabilities.join(", ") || "—" },
              { label: "Progress", value: `${t.progress.done} / ${t.progress.total}` },
            ]}
          />
          <Progress
            label="Task progress"
            value={t.progress.percent}
            tone={t.status === "failed" ? "failed" : "completed"}
          />
          {t.error ? (
            <p role="alert" className="border-2 border-st-failed px-3 py-2 text-sm text-st-failed">
              ✗ {t.error.message}
            </p>
          ) : null}
          {t.result ? <p className="border-2 border-st-completed px-3 py-2 text-sm">✓ {t.result.summary}</p> : null}
        </CardBody>
      </Card>
      <Card>
        <CardHeader
          title="Dependency graph"
          actions={
            <span className="flex items-center gap-3 text-xs text-muted">
              <span className="inline-flex items-center gap-1">
                <span aria-hidden className="inline-block h-0.5 w-5 bg-accent" /> critical path
              </span>
              <span className="inline-flex items-center gap-1">
                <span aria-hidden className="inline-block h-0.5 w-5 bg-line-strong" /> dependency
              </span>
            </span>
          }
        />
        {graph.isError && !graph.data ? (
          <div className="p-4">
            <ErrorPanel error={graph.error} onRetry={() => graph.refetch()} />
          </div>
        ) : !graph.data ? (
          <RowsSkeleton className="p-4" rows={4} />
        ) : (
          <DagView graph={graph.data} />
        )}
      </Card>
      <Card>
        <CardHeader title="Tree" />
        {tree.isError && !tree.data ? (
          <div className="p-4">
            <ErrorPanel error={tree.error} onRetry={() => tree.refetch()} />
          </div>
        ) : !tree.data ? (
          <RowsSkeleton className="p-4" rows={4} />
        ) : (
          <div aria-label="Task tree" role="region">
            <TreeHeader />
            <SubTree node={tree.data.root} depth={0} />
          </div>
        )}
      </Card>
      {works ? (
        <>
          <ExecuteDialog taskId={id} open={executing} onClose={() => setExecuting(false)} />
          <DecomposeDialog task={decomposing ? t : null} onClose={() => setDecomposing(false)} />
          <NewTaskDialog open={adding} onClose={() => setAdding(false)} parentTaskId={id} />
        </>
      ) : null}
    </div>
  );
}

function ExecuteDialog({ taskId, open, onClose }: { taskId: string; open: boolean; onClose: () => void }) {
  const [repository, setRepository] = useState("");
  const [baseRef, setBaseRef] = useState("");
  const run = useApiMutation({
    call: () =>
      getApi().call("executeTask", {
        params: { id: taskId },
        body: { ...(repository ? { repository } : {}), ...(baseRef ? { baseRef } : {}) },
      }),
    refresh: [["task"], ["tasks"]],
    done: (_) => "Executing: ready leaves become sessions",
    then: () => {
      onClose();
    },
  });
  const { fields, form } = fieldErrorsOf(run.error);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    run.mutate();
  };
  return (
    <Dialog open={open} onClose={onClose} title="Execute the tree">
      <form onSubmit={submit} noValidate className="flex flex-col gap-4">
        {form ? <ErrorPanel title="Not started" error={run.error} /> : null}
        <Field
          id="exec-repo"
          label="Repository"
          hint="A git repository; empty: a fresh one under the data directory."
          errors={fields}
          path="repository"
        >
          {(aria) => (
            <Input
              {...aria}
              value={repository}
              onChange={(e) => setRepository(e.target.value)}
              placeholder="/srv/repos/app"
            />
          )}
        </Field>
        <Field id="exec-ref" label="Base ref" errors={fields} path="baseRef">
          {(aria) => (
            <Input {...aria} value={baseRef} onChange={(e) => setBaseRef(e.target.value)} placeholder="HEAD" />
          )}
        </Field>
        <FormActions onBack={onClose} submit="Execute" busy={run.isPending} />
      </form>
    </Dialog>
  );
}
