"use client";

import { CAPABILITIES, PRIORITIES, SESSION_TYPES } from "@industrial/core";
import type { CreateSessionBody } from "@industrial/contracts";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { getApi } from "@/lib/api";
import { useApiMutation } from "@/lib/use-api-mutation";
import { errorAt, fieldErrorsOf } from "@/lib/field-errors";
import { useAgents } from "@/lib/queries";
import { FormActions } from "@/components/ui/form-actions";
import { Chip } from "@/components/ui/chip";
import { Dialog } from "@/components/ui/dialog";
import { ErrorPanel } from "@/components/ui/error-panel";
import { Field, fieldAria, Input, Select, Textarea } from "@/components/ui/input";

type Workspace = "scratch" | "repository" | "directory";

interface FormState {
  title: string;
  prompt: string;
  workspace: Workspace;
  path: string;
  baseRef: string;
  type: string;
  priority: string;
  capabilities: string[];
  preferredAgentId: string;
  model: string;
  maxDurationSeconds: string;
  maxTokens: string;
  maxCostUsd: string;
  start: boolean;
}

const INITIAL: FormState = {
  title: "",
  prompt: "",
  workspace: "scratch",
  path: "",
  baseRef: "",
  type: "execution",
  priority: "medium",
  capabilities: [],
  preferredAgentId: "",
  model: "",
  maxDurationSeconds: "3600",
  maxTokens: "",
  maxCostUsd: "",
  start: true,
};

/** A number field as typed: empty is absent; anything else goes to the API as a number (NaN → null, which it names). */
const num = (s: string) => (s.trim() === "" ? undefined : Number(s));

/**
 * The request body, as typed. Nothing is validated here: the API checks
 * every field and its 400 names each failing one, shown under its field.
 */
export function toCreateBody(f: FormState): CreateSessionBody {
  const budget = { maxTokens: num(f.maxTokens), maxCostUsd: num(f.maxCostUsd) };
  return {
    prompt: f.prompt,
    ...(f.title.trim() ? { title: f.title } : {}),
    type: f.type as CreateSessionBody["type"],
    priority: f.priority as CreateSessionBody["priority"],
    requiredCapabilities: f.capabilities as CreateSessionBody["requiredCapabilities"],
    ...(f.workspace === "repository" && f.path ? { repository: f.path } : {}),
    ...(f.workspace === "repository" && f.baseRef ? { baseRef: f.baseRef } : {}),
    ...(f.workspace === "directory" && f.path ? { directory: f.path } : {}),
    ...(f.preferredAgentId ? { preferredAgentId: f.preferredAgentId } : {}),
    ...(f.model.trim() ? { model: f.model.trim() } : {}),
    ...(num(f.maxDurationSeconds) !== undefined ? { maxDurationSeconds: num(f.maxDurationSeconds) } : {}),
    ...(budget.maxTokens !== undefined || budget.maxCostUsd !== undefined
      ? {
          budget: {
            ...(budget.maxTokens !== undefined ? { maxTokens: budget.maxTokens } : {}),
            ...(budget.maxCostUsd !== undefined ? { maxCostUsd: budget.maxCostUsd } : {}),
          },
        }
      : {}),
    start: f.start,
  } as CreateSessionBody;
}

export function NewSessionDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const [f, setF] = useState<FormState>(INITIAL);
  const agents = useAgents();
  const router = useRouter();
  const create = useApiMutation({
    call: (body: CreateSessionBody) => getApi().call("createSession", { body }),
    refresh: [["sessions"]],
    done: (s) => `Session "${s.title}" created`,
    then: (s) => {
      setF(INITIAL);
      onClose();
      router.push(`/sessions/${s.id}`);
    },
  });
  const { fields, form } = fieldErrorsOf(create.error);
  const pathError = f.workspace === "repository" ? errorAt(fields, "repository") : errorAt(fields, "directory");
  const set = <K extends keyof FormState>(k: K, v: FormState[K]) => setF((p) => ({ ...p, [k]: v }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate(toCreateBody(f));
  };
  const close = () => {
    create.reset();
    onClose();
  };

  return (
    <Dialog open={open} onClose={close} title="New session" wide>
      <form id="new-session-form" onSubmit={submit} noValidate className="flex flex-col gap-4">
        {form ? <ErrorPanel title="Not created" error={create.error} /> : null}
        <Field
          id="title"
          label="Title"
          hint="Optional: the first line of the prompt otherwise."
          errors={fields}
          path="title"
        >
          {(aria) => (
            <Input
              {...aria}
              value={f.title}
              onChange={(e) => set("title", e.target.value)}
              placeholder="Fix the flaky login test"
            />
          )}
        </Field>
        <Field id="prompt" label="Prompt *" hint="What the agent should do." errors={fields} path="prompt">
          {(aria) => <Textarea {...aria} value={f.prompt} onChange={(e) => set("prompt", e.target.value)} rows={5} />}
        </Field>
        <div className="grid grid-cols-1 gap-4 sm:grid-cols-3">
          <Field id="workspace" label="Workspace">
            <Select
              {...fieldAria("workspace")}
              value={f.workspace}
              onChange={(e) => set("workspace", e.target.value as Workspace)}
            >
              <option value="scratch">Scratch directory</option>
              <option value="repository">Git repository</option>
              <option value="directory">Existing directory</option>
            </Select>
          </Field>
          {f.workspace !== "scratch" ? (
            <Field
              id="path"
              label={f.workspace === "repository" ? "Repository path" : "Directory path"}
              error={pathError}
              className="sm:col-span-2"
            >
              <Input
                {...fieldAria("path", pathError)}
                value={f.path}
                onChange={(e) => set("path", e.target.value)}
                placeholder="/srv/repos/app"
              />
            </Field>
          ) : null}
          {f.workspace === "repository" ? (
            <Field id="baseRef" label="Base ref" errors={fields} path="baseRef">
              {(aria) => (
                <Input
                  {...aria}
                  value={f.baseRef}
                  onChange={(e) => set("baseRef", e.target.value)}
                  placeholder="HEAD"
                />
              )}
            </Field>
          ) : null}
        </div>
        <div className="grid grid-cols-1 gap-4 sm:grid-cols-3">
          <Field id="type" label="Type" errors={fields} path="type">
            {(aria) => (
              <Select {...aria} value={f.type} onChange={(e) => set("type", e.target.value)}>
                {SESSION_TYPES.map((t) => (
                  <option key={t} value={t}>
                    {t}
                  </option>
                ))}
              </Select>
            )}
          </Field>
          <Field id="priority" label="Priority" errors={fields} path="priority">
            {(aria) => (
              <Select {...aria} value={f.priority} onChange={(e) => set("priority", e.target.value)}>
                {PRIORITIES.map((p) => (
                  <option key={p} value={p}>
                    {p}
                  </option>
                ))}
              </Select>
            )}
          </Field>
          <Field id="preferredAgentId" label="Preferred agent" errors={fields} path="preferredAgentId">
            {(aria) => (
              <Select {...aria} value={f.preferredAgentId} onChange={(e) => set("preferredAgentId", e.target.value)}>
                <option value="">Routed automatically</option>
                {(agents.data?.items ?? []).map((a) => (
                  <option key={a.id} value={a.id}>
                    {a.name}
                  </option>
                ))}
              </Select>
            )}
          </Field>
        </div>
        <fieldset className="flex flex-col gap-2">
          <legend className="label mb-1.5 text-muted">Required capabilities</legend>
          <div className="flex flex-wrap gap-1.5">
            {CAPABILITIES.map((c) => (
              <Chip
                key={c}
                pressed={f.capabilities.includes(c)}
                onClick={() =>
                  set(
                    "capabilities",
                    f.capabilities.includes(c) ? f.capabilities.filter((x) => x !== c) : [...f.capabilities, c],
                  )
                }
              >
                {c.replace(/_/g, " ")}
              </Chip>
            ))}
          </div>
          {errorAt(fields, "requiredCapabilities") ? (
            <p className="text-xs text-st-failed">✗ {errorAt(fields, "requiredCapabilities")}</p>
          ) : null}
        </fieldset>
        <div className="grid grid-cols-1 gap-4 sm:grid-cols-4">
          <Field id="model" label="Model" hint="provider/model" errors={fields} path="model" className="sm:col-span-1">
            {(aria) => (
              <Input {...aria} value={f.model} onChange={(e) => set("model", e.target.value)} placeholder="default" />
            )}
          </Field>
          <Field id="maxDurationSeconds" label="Time limit (s)" errors={fields} path="maxDurationSeconds">
            {(aria) => (
              <Input
                {...aria}
                inputMode="numeric"
                value={f.maxDurationSeconds}
                onChange={(e) => set("maxDurationSeconds", e.target.value)}
              />
            )}
          </Field>
          <Field id="maxTokens" label="Budget tokens" errors={fields} path="budget.maxTokens">
            {(aria) => (
              <Input
                {...aria}
                inputMode="numeric"
                value={f.maxTokens}
                onChange={(e) => set("maxTokens", e.target.value)}
                placeholder="none"
              />
            )}
          </Field>
          <Field id="maxCostUsd" label="Budget USD" errors={fields} path="budget.maxCostUsd">
            {(aria) => (
              <Input
                {...aria}
                inputMode="decimal"
                value={f.maxCostUsd}
                onChange={(e) => set("maxCostUsd", e.target.value)}
                placeholder="none"
              />
            )}
          </Field>
        </div>
        <label className="flex items-center gap-2 text-sm">
          <input
            type="checkbox"
            className="h-4 w-4 accent-[var(--color-accent)]"
            checked={f.start}
            onChange={(e) => set("start", e.target.checked)}
          />
          Queue it now (otherwise it waits in pending for Start)
        </label>
        <FormActions onBack={close} submit="Create session" busy={create.isPending} />
      </form>
    </Dialog>
  );
}
