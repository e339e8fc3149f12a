"use client";

import { COMPLEXITIES } from "@industrial/core";
import type { TaskView } from "@industrial/contracts";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { getApi } from "@/lib/api";
import { POLL_MS, qk, useAccess, usePoll } from "@/lib/queries";
import { listParam } from "@/lib/list-param";
import { useSearchState } from "@/lib/use-search-state";
import { Button } from "@/components/ui/button";
import { FilterChips } from "@/components/ui/filter-chips";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { QueryState } from "@/components/ui/query-state";
import { RowsSkeleton } from "@/components/ui/skeleton";
import { RootTask } from "./root-task";
import { DecomposeDialog, NewTaskDialog } from "./task-dialogs";
import { TreeHeader } from "./task-tree";

/** Root tasks as an expandable tree, filtered by complexity (in the URL); New task and Decompose. */
export function TasksView() {
  const { params, set } = useSearchState();
  const complexity = listParam(params.get("complexity"), COMPLEXITIES);
  const [creating, setCreating] = useState(false);
  // Creating and decomposing tasks is a member's (the server refuses a member another's task: 403 in a toast).
  const canCreate = useAccess().can("createTask");
  const [decomposing, setDecomposing] = useState<TaskView | null>(null);
  const query = { root: "true" as const, limit: 200, ...(complexity.length ? { complexity } : {}) };
  const roots = useQuery({
    queryKey: qk.tasks(query),
    queryFn: () => getApi().call("listTasks", { query }),
    refetchInterval: usePoll(POLL_MS.normal),
  });
  const create = canCreate ? (
    <Button variant="primary" onClick={() => setCreating(true)}>
      + New task
    </Button>
  ) : null;
  return (
    <div className="flex flex-col gap-5">
      <PageHeader
        title="Tasks"
        description={
          roots.data ? `${roots.data.total} root tasks` : "Work broken into subtasks and dependencies, run as sessions."
        }
        actions={create}
      />
      <FilterChips
        label="Complexity"
        options={COMPLEXITIES}
        selected={complexity}
        onChange={(next) => set({ complexity: next })}
      />
      <QueryState
        query={roots}
        errorTitle="Could not list tasks"
        loading={<RowsSkeleton rows={6} />}
        isEmpty={(data) => data.items.length === 0}
        empty={
          <EmptyState
            title={complexity.length ? "No task matches" : "No tasks yet"}
            hint={
              complexity.length
                ? "No root task has this complexity."
                : canCreate
                  ? "Create a task, decompose it with a template, then execute the tree: each ready leaf becomes a session."
                  : "Tasks of this tenant appear here as they are created (a member or above creates them)."
            }
            action={create}
          />
        }
      >
        {(data) => (
          <div aria-label="Task tree" role="region" className="border-2 border-line bg-panel shadow-hard">
            <TreeHeader />
            {data.items.map((t) => (
              <RootTask key={t.id} task={t} onDecompose={canCreate ? setDecomposing : null} />
            ))}
          </div>
        )}
      </QueryState>
      {canCreate ? (
        <>
          <NewTaskDialog open={creating} onClose={() => setCreating(false)} />
          <DecomposeDialog task={decomposing} onClose={() => setDecomposing(null)} />
        </>
      ) : null}
    </div>
  );
}
