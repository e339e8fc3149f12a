"use client";

import { PRIORITIES, SESSION_TYPES } from "@industrial/core";
import type { CreateTaskBody, TaskView } from "@industrial/contracts";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { getApi } from "@/lib/api";
import { useApiMutation } from "@/lib/use-api-mutation";
import { fieldErrorsOf } from "@/lib/field-errors";
import { qk } from "@/lib/queries";
import { FormActions } from "@/components/ui/form-actions";
import { Dialog } from "@/components/ui/dialog";
import { ErrorPanel } from "@/components/ui/error-panel";
import { Field, fieldAria, Input, Select, Textarea } from "@/components/ui/input";
import { useToast } from "@/components/ui/toast";

const num = (s: string) => (s.trim() === "" ? undefined : Number(s));

/** New task: title, description, type, priority and an optional PERT estimate (else inferred). */
export function NewTaskDialog({
  open,
  onClose,
  parentTaskId,
}: {
  open: boolean;
  onClose: () => void;
  parentTaskId?: string;
}) {
  const [f, setF] = useState({
    title: "",
    description: "",
    type: "execution",
    priority: "medium",
    optimistic: "",
    likely: "",
    pessimistic: "",
  });
  const create = useApiMutation({
    call: (body: CreateTaskBody) => getApi().call("createTask", { body }),
    refresh: [["tasks"], ["task"]],
    done: (t) => `Task "${t.title}" created`,
    then: () => {
      setF({
        title: "",
        description: "",
        type: "execution",
        priority: "medium",
        optimistic: "",
        likely: "",
        pessimistic: "",
      });
      onClose();
    },
  });
  const { fields, form } = fieldErrorsOf(create.error);
  const set = (k: keyof typeof f, v: string) => setF((p) => ({ ...p, [k]: v }));
  const hasEstimate = f.optimistic || f.likely || f.pessimistic;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate({
      title: f.title,
      description: f.description,
      type: f.type as CreateTaskBody["type"],
      priority: f.priority as CreateTaskBody["priority"],
      ...(parentTaskId ? { parentTaskId } : {}),
      ...(hasEstimate
        ? {
            estimate: {
              optimistic: num(f.optimistic) as number,
              likely: num(f.likely) as number,
              pessimistic: num(f.pessimistic) as number,
            },
          }
        : {}),
    });
  };
  const close = () => {
    create.reset();
    onClose();
  };
  return (
    <Dialog open={open} onClose={close} title={parentTaskId ? "New subtask" : "New task"} wide>
      <form onSubmit={submit} noValidate className="flex flex-col gap-4">
        {form ? <ErrorPanel title="Not created" error={create.error} /> : null}
        <Field id="task-title" label="Title *" errors={fields} path="title">
          {(aria) => (
            <Input
              {...aria}
              value={f.title}
              onChange={(e) => set("title", e.target.value)}
              placeholder="Add rate limiting to the API"
            />
          )}
        </Field>
        <Field
          id="task-description"
          label="Description"
          hint="Capabilities and an estimate are inferred from it when not given."
          errors={fields}
          path="description"
        >
          {(aria) => (
            <Textarea {...aria} rows={4} value={f.description} onChange={(e) => set("description", e.target.value)} />
          )}
        </Field>
        <div className="grid grid-cols-1 gap-4 sm:grid-cols-2">
          <Field id="task-type" label="Type">
            <Select {...fieldAria("task-type")} value={f.type} onChange={(e) => set("type", e.target.value)}>
              {SESSION_TYPES.map((t) => (
                <option key={t}>{t}</option>
              ))}
            </Select>
          </Field>
          <Field id="task-priority" label="Priority">
            <Select
              {...fieldAria("task-priority")}
              value={f.priority}
              onChange={(e) => set("priority", e.target.value)}
            >
              {PRIORITIES.map((p) => (
                <option key={p}>{p}</option>
              ))}
            </Select>
          </Field>
        </div>
        <fieldset className="grid grid-cols-3 gap-4">
          <legend className="label col-span-3 mb-1.5 text-muted">Estimate, hours (optional)</legend>
          {(["optimistic", "likely", "pessimistic"] as const).map((k) => (
            <Field key={k} id={`task-${k}`} label={k} errors={fields} path={`estimate.${k}`}>
              {(aria) => <Input {...aria} inputMode="decimal" value={f[k]} onChange={(e) => set(k, e.target.value)} />}
            </Field>
          ))}
        </fieldset>
        <FormActions onBack={close} submit="Create task" busy={create.isPending} />
      </form>
    </Dialog>
  );
}

/** Decompose a task: a template, heuristics, or the LLM planner. */
export function DecomposeDialog({ task, onClose }: { task: TaskView | null; onClose: () => void }) {
  const [mode, setMode] = useState("auto");
  const [maxDepth, setMaxDepth] = useState("3");
  const templates = useQuery({
    queryKey: qk.templates,
    queryFn: () => getApi().call("taskTemplates"),
    enabled: task !== null,
    staleTime: 60_000,
  });
  const qc = useQueryClient();
  const toast = useToast();
  const run = useMutation({
    mutationFn: () => {
      const body =
        mode === "auto"
          ? {}
          : mode === "heuristics"
            ? { heuristics: true }
            : mode === "llm"
              ? { planner: "llm" as const }
              : { template: mode as never };
      return getApi().call("decomposeTask", {
        params: { id: task!.id },
        body: { ...body, maxDepth: num(maxDepth) ?? 3 },
      });
    },
    onSuccess: (d) => {
      void qc.invalidateQueries({ queryKey: ["tasks"] });
      void qc.invalidateQueries({ queryKey: ["task"] });
      toast.ok(`Decomposed with ${d.template ?? d.planner}: ${d.tasks.length} subtasks`);
      onClose();
    },
  });
  const { fields, form } = fieldErrorsOf(run.error);
  return (
    <Dialog open={task !== null} onClose={onClose} title={`Decompose: ${task?.title ?? ""}`}>
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          run.mutate();
        }}
        className="flex flex-col gap-4"
      >
        {form ? <ErrorPanel title="Not decomposed" error={run.error} /> : null}
        <Field id="decompose-mode" label="Planner" errors={fields} path="template">
          {(aria) => (
            <Select {...aria} value={mode} onChange={(e) => setMode(e.target.value)}>
              <option value="auto">Auto: the template whose trigger words match, else heuristics</option>
              {(templates.data?.items ?? []).map((t) => (
                <option key={t.name} value={t.name}>
                  Template: {t.name} — {t.phases.length} phases
                </option>
              ))}
              <option value="heuristics">Heuristics: split the text into steps</option>
              <option value="llm">LLM planner (an architect agent session)</option>
            </Select>
          )}
        </Field>
        <Field id="decompose-depth" label="Max depth" errors={fields} path="maxDepth">
          {(aria) => (
            <Input {...aria} inputMode="numeric" value={maxDepth} onChange={(e) => setMaxDepth(e.target.value)} />
          )}
        </Field>
        <FormActions onBack={onClose} submit="Decompose" busy={run.isPending} />
      </form>
    </Dialog>
  );
}
