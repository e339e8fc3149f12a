"use client";

import { AGENT_TYPES, canSetSandboxMounts, type SandboxMount } from "@industrial/core";
import type { CreateAgentBody } from "@industrial/contracts";
import { useState, type FormEvent } from "react";
import { getApi } from "@/lib/api";
import { useApiMutation } from "@/lib/use-api-mutation";
import { errorAt, fieldErrorsOf } from "@/lib/field-errors";
import { useAccess, useRunners } from "@/lib/queries";
import { FormActions } from "@/components/ui/form-actions";
import { Dialog } from "@/components/ui/dialog";
import { ErrorPanel } from "@/components/ui/error-panel";
import { Field, Input, Select, Textarea } from "@/components/ui/input";
import { fallbackModelsErrorAt, toInputFallbackChange, toInputFallbackForm } from "../lib/input-fallback-form";
import {
  permissionErrorsOf,
  toPermissionsChange,
  toPermissionsForm,
  type SentPermissions,
} from "../lib/permissions-form";
import { mountsErrorAt, toSandboxChange, toSandboxForm } from "../lib/sandbox-form";
import { CapabilityPicker } from "./capability-picker";
import { InputFallbackFields } from "./input-fallback-fields";
import { PermissionFields } from "./permission-fields";
import { SandboxFields } from "./sandbox-fields";

const INITIAL = {
  name: "",
  type: "implementer",
  capabilities: [] as string[],
  model: "",
  openCodeAgent: "build",
  systemPrompt: "",
  temperature: "",
  maxConcurrent: "2",
  runnerId: "",
};
type Form = typeof INITIAL;

const num = (s: string) => (s.trim() === "" ? undefined : Number(s));

export function toAgentBody(f: Form): CreateAgentBody {
  return {
    name: f.name,
    type: f.type,
    capabilities: f.capabilities,
    openCodeAgent: f.openCodeAgent || "build",
    ...(f.model.trim() ? { model: f.model.trim() } : {}),
    ...(f.systemPrompt.trim() ? { systemPrompt: f.systemPrompt } : {}),
    ...(num(f.temperature) !== undefined ? { temperature: num(f.temperature) } : {}),
    ...(num(f.maxConcurrent) !== undefined ? { maxConcurrent: num(f.maxConcurrent) } : {}),
    ...(f.runnerId ? { runnerId: f.runnerId } : {}),
  } as CreateAgentBody;
}

/** Register an agent; the API's 400 names each failing field under it. */
export function RegisterAgentDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const [f, setF] = useState<Form>(INITIAL);
  const [sandbox, setSandbox] = useState(toSandboxForm);
  const [inputFallback, setInputFallback] = useState(toInputFallbackForm);
  const [permissions, setPermissions] = useState(() => toPermissionsForm());
  // Where each rule last sent came from: the API's errors name entries of that list.
  const [sentRules, setSentRules] = useState<SentPermissions>();
  // The dialog's own check of the mount lines, and the mounts last sent (the API's errors name entries of that list).
  const [mountLines, setMountLines] = useState<string | undefined>();
  const [sentMounts, setSentMounts] = useState<SandboxMount[]>([]);
  const { me } = useAccess();
  const mountsEditable = me ? canSetSandboxMounts(me) : false;
  const runners = useRunners();
  const create = useApiMutation({
    call: (body: CreateAgentBody) => getApi().call("createAgent", { body }),
    refresh: [["agents"]],
    done: (a) => `Agent ${a.name} registered`,
    then: () => {
      setF(INITIAL);
      setSandbox(toSandboxForm());
      setInputFallback(toInputFallbackForm());
      setPermissions(toPermissionsForm());
      onClose();
    },
  });
  const { fields, form } = fieldErrorsOf(create.error);
  const set = <K extends keyof Form>(k: K, v: Form[K]) => setF((p) => ({ ...p, [k]: v }));
  const close = () => {
    create.reset();
    setMountLines(undefined);
    onClose();
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const { change, mountProblems } = toSandboxChange(sandbox, mountsEditable);
    setMountLines(mountProblems.length ? mountProblems.join("; ") : undefined);
    if (mountProblems.length) return;
    setSentMounts(change.mounts ?? []);
    const rules = toPermissionsChange(permissions);
    setSentRules(rules);
    create.mutate({
      ...toAgentBody(f),
      ...toInputFallbackChange(inputFallback),
      permissions: rules.permissions,
      sandbox: change,
    });
  };
  return (
    <Dialog open={open} onClose={close} title="Register agent" wide>
      <form onSubmit={submit} noValidate className="flex flex-col gap-4">
        {form ? <ErrorPanel title="Not registered" error={create.error} /> : null}
        <div className="grid grid-cols-1 gap-4 sm:grid-cols-2">
          <Field id="agent-name" label="Name *" hint="3–64 letters, digits, - or _" errors={fields} path="name">
            {(aria) => (
              <Input {...aria} value={f.name} onChange={(e) => set("name", e.target.value)} placeholder="reviewer-2" />
            )}
          </Field>
          <Field id="agent-type" label="Type" errors={fields} path="type">
            {(aria) => (
              <Select {...aria} value={f.type} onChange={(e) => set("type", e.target.value)}>
                {AGENT_TYPES.map((t) => (
                  <option key={t} value={t}>
                    {t}
                  </option>
                ))}
              </Select>
            )}
          </Field>
        </div>
        <CapabilityPicker
          legend="Extra capabilities (added to the type's defaults)"
          value={f.capabilities}
          onChange={(v) => set("capabilities", v)}
          error={errorAt(fields, "capabilities")}
        />
        <div className="grid grid-cols-1 gap-4 sm:grid-cols-4">
          <Field
            id="agent-model"
            label="Model"
            hint="provider/model"
            errors={fields}
            path="model"
            className="sm:col-span-2"
          >
            {(aria) => (
              <Input {...aria} value={f.model} onChange={(e) => set("model", e.target.value)} placeholder="default" />
            )}
          </Field>
          <Field id="agent-max" label="Max concurrent" errors={fields} path="maxConcurrent">
            {(aria) => (
              <Input
                {...aria}
                inputMode="numeric"
                value={f.maxConcurrent}
                onChange={(e) => set("maxConcurrent", e.target.value)}
              />
            )}
          </Field>
          <Field id="agent-temp" label="Temperature" errors={fields} path="temperature">
            {(aria) => (
              <Input
                {...aria}
                inputMode="decimal"
                value={f.temperature}
                onChange={(e) => set("temperature", e.target.value)}
                placeholder="model default"
              />
            )}
          </Field>
        </div>
        <div className="grid grid-cols-1 gap-4 sm:grid-cols-2">
          <Field id="agent-oc" label="OpenCode agent" errors={fields} path="openCodeAgent">
            {(aria) => (
              <Input {...aria} value={f.openCodeAgent} onChange={(e) => set("openCodeAgent", e.target.value)} />
            )}
          </Field>
          <Field id="agent-runner" label="Runner" errors={fields} path="runnerId">
            {(aria) => (
              <Select {...aria} value={f.runnerId} onChange={(e) => set("runnerId", e.target.value)}>
                <option value="">Managed runner of the replica</option>
                {(runners.data?.items ?? [])
                  .filter((r) => r.kind === "remote")
                  .map((r) => (
                    <option key={r.id} value={r.id}>
                      {r.name}
                    </option>
                  ))}
              </Select>
            )}
          </Field>
        </div>
        <Field id="agent-prompt" label="System prompt" errors={fields} path="systemPrompt">
          {(aria) => (
            <Textarea {...aria} rows={3} value={f.systemPrompt} onChange={(e) => set("systemPrompt", e.target.value)} />
          )}
        </Field>
        <PermissionFields
          idPrefix="agent"
          value={permissions}
          onChange={setPermissions}
          errors={permissionErrorsOf(fields, sentRules, permissions)}
        />
        <InputFallbackFields
          idPrefix="agent"
          value={inputFallback}
          onChange={setInputFallback}
          fields={fields}
          fallbackError={fallbackModelsErrorAt(fields, create.variables?.fallbackModels)}
        />
        <SandboxFields
          idPrefix="agent"
          value={sandbox}
          onChange={setSandbox}
          fields={fields}
          mountsEditable={mountsEditable}
          mountsError={mountLines ?? mountsErrorAt(fields, sentMounts)}
        />
        <FormActions onBack={close} submit="Register agent" busy={create.isPending} />
      </form>
    </Dialog>
  );
}
