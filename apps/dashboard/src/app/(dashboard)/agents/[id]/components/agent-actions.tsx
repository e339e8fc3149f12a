"use client";

import type { AgentSandboxChange, AgentView } from "@industrial/contracts";
import { canSetSandboxMounts, type SandboxMount } from "@industrial/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { getApi } from "@/lib/api";
import { fieldErrorsOf } from "@/lib/field-errors";
import { qk, useAccess } from "@/lib/queries";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { ErrorPanel } from "@/components/ui/error-panel";
import { FormActions } from "@/components/ui/form-actions";
import { Field, Input, Textarea } from "@/components/ui/input";
import { useToast } from "@/components/ui/toast";
import { InputFallbackFields } from "../../components/input-fallback-fields";
import { PermissionFields } from "../../components/permission-fields";
import { SandboxFields } from "../../components/sandbox-fields";
import { fallbackModelsErrorAt, toInputFallbackChange, toInputFallbackForm } from "../../lib/input-fallback-form";
import { permissionErrorsOf, toPermissionsChange, toPermissionsForm } from "../../lib/permissions-form";
import { mountsErrorAt, toSandboxChange, toSandboxForm } from "../../lib/sandbox-form";

/** Drain, maintenance on/off, bring back, edit, remove. */
export function AgentActions({ agent }: { agent: AgentView }) {
  const qc = useQueryClient();
  const toast = useToast();
  const router = useRouter();
  const [editing, setEditing] = useState(false);
  const [removing, setRemoving] = useState(false);
  const done = (a: AgentView, msg: string) => {
    qc.setQueryData(qk.agent(a.id), a);
    void qc.invalidateQueries({ queryKey: ["agents"] });
    void qc.invalidateQueries({ queryKey: qk.agentPerformance(a.id) });
    toast.ok(msg);
  };
  const drain = useMutation({
    mutationFn: () => getApi().call("drainAgent", { params: { id: agent.id }, body: {} }),
    onSuccess: (a) => done(a, `${a.name} draining`),
    onError: (e) => toast.error(e, "Drain refused"),
  });
  const maintenance = useMutation({
    mutationFn: (enabled: boolean) =>
      getApi().call("maintenanceAgent", { params: { id: agent.id }, body: { enabled } }),
    onSuccess: (a) => done(a, a.maintenance ? `${a.name} in maintenance` : `${a.name} out of maintenance`),
    onError: (e) => toast.error(e, "Maintenance refused"),
  });
  const activate = useMutation({
    mutationFn: () => getApi().call("patchAgent", { params: { id: agent.id }, body: { status: "active" } }),
    onSuccess: (a) => done(a, `${a.name} active`),
    onError: (e) => toast.error(e, "Refused"),
  });
  const remove = useMutation({
    mutationFn: (force: boolean) =>
      getApi().call("deleteAgent", { params: { id: agent.id }, query: { force: force ? "true" : "false" } }),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ["agents"] });
      toast.ok(`${agent.name} removed`);
      router.push("/agents");
    },
  });
  return (
    <div className="flex flex-wrap gap-2">
      {agent.status === "active" ? (
        <Button size="sm" busy={drain.isPending} onClick={() => drain.mutate()}>
          Drain
        </Button>
      ) : (
        <Button size="sm" variant="primary" busy={activate.isPending} onClick={() => activate.mutate()}>
          Activate
        </Button>
      )}
      <Button size="sm" busy={maintenance.isPending} onClick={() => maintenance.mutate(!agent.maintenance)}>
        {agent.maintenance ? "End maintenance" : "Maintenance"}
      </Button>
      <Button size="sm" onClick={() => setEditing(true)}>
        Edit
      </Button>
      <Button size="sm" variant="danger" onClick={() => setRemoving(true)}>
        Remove
      </Button>
      {/* Keyed by opening: each edit starts from the agent as it stands now, not as it stood when the page loaded. */}
      <EditAgentDialog
        key={editing ? "editing" : "closed"}
        agent={agent}
        open={editing}
        onClose={() => setEditing(false)}
        onSaved={(a) => done(a, `${a.name} saved`)}
      />
      <Dialog
        open={removing}
        onClose={() => setRemoving(false)}
        title={`Remove ${agent.name}`}
        footer={
          <>
            <Button variant="ghost" onClick={() => setRemoving(false)}>
              Cancel
            </Button>
            {agent.running > 0 ? (
              <Button variant="danger" busy={remove.isPending} onClick={() => remove.mutate(true)}>
                Stop {agent.running} and remove
              </Button>
            ) : (
              <Button variant="danger" busy={remove.isPending} onClick={() => remove.mutate(false)}>
                Remove
              </Button>
            )}
          </>
        }
      >
        {remove.error ? <ErrorPanel title="Not removed" error={remove.error} /> : null}
        <p className="text-sm text-muted">
          {agent.running > 0
            ? `It runs ${agent.running} session(s) now: they are stopped first.`
            : "It runs nothing now. Its history stays with its sessions."}
        </p>
      </Dialog>
    </div>
  );
}

function EditAgentDialog({
  agent,
  open,
  onClose,
  onSaved,
}: {
  agent: AgentView;
  open: boolean;
  onClose: () => void;
  onSaved: (a: AgentView) => void;
}) {
  const [maxConcurrent, setMax] = useState(String(agent.maxConcurrent));
  const [model, setModel] = useState(agent.model ?? "");
  const [systemPrompt, setPrompt] = useState(agent.systemPrompt ?? "");
  const [sandbox, setSandbox] = useState(() => toSandboxForm(agent.sandbox));
  const [inputFallback, setInputFallback] = useState(() => toInputFallbackForm(agent));
  const [permissions, setPermissions] = useState(() => toPermissionsForm(agent.permissions));
  const [mountLines, setMountLines] = useState<string | undefined>();
  const [sentMounts, setSentMounts] = useState<SandboxMount[]>([]);
  const { me } = useAccess();
  const mountsEditable = me ? canSetSandboxMounts(me) : false;
  const save = useMutation({
    mutationFn: ({
      change,
      more,
      rules,
    }: {
      change: AgentSandboxChange;
      more: ReturnType<typeof toInputFallbackChange>;
      rules: ReturnType<typeof toPermissionsChange>;
    }) =>
      getApi().call("patchAgent", {
        params: { id: agent.id },
        body: {
          maxConcurrent: maxConcurrent.trim() === "" ? undefined : Number(maxConcurrent),
          model: model.trim() || null,
          systemPrompt: systemPrompt.trim() || null,
          sandbox: change,
          ...more,
          permissions: rules.permissions,
        },
      }),
    onSuccess: (a) => {
      onSaved(a);
      onClose();
    },
  });
  const { fields, form } = fieldErrorsOf(save.error);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    // Mounts go only from an admin: a lead's save leaves them as they are.
    const { change, mountProblems } = toSandboxChange(sandbox, mountsEditable);
    setMountLines(mountProblems.length ? mountProblems.join("; ") : undefined);
    if (mountProblems.length) return;
    setSentMounts(change.mounts ?? []);
    // The whole list: PATCH replaces the agent's rules with it.
    save.mutate({ change, more: toInputFallbackChange(inputFallback), rules: toPermissionsChange(permissions) });
  };
  return (
    <Dialog open={open} onClose={onClose} title={`Edit ${agent.name}`} wide>
      <form onSubmit={submit} noValidate className="flex flex-col gap-4">
        {form ? <ErrorPanel title="Not saved" error={save.error} /> : null}
        <Field id="edit-max" label="Max concurrent" errors={fields} path="maxConcurrent">
          {(aria) => (
            <Input {...aria} inputMode="numeric" value={maxConcurrent} onChange={(e) => setMax(e.target.value)} />
          )}
        </Field>
        <Field id="edit-model" label="Model" hint="provider/model; empty: the default" errors={fields} path="model">
          {(aria) => <Input {...aria} value={model} onChange={(e) => setModel(e.target.value)} />}
        </Field>
        <Field id="edit-prompt" label="System prompt" errors={fields} path="systemPrompt">
          {(aria) => <Textarea {...aria} rows={4} value={systemPrompt} onChange={(e) => setPrompt(e.target.value)} />}
        </Field>
        <PermissionFields
          idPrefix="edit"
          value={permissions}
          onChange={setPermissions}
          errors={permissionErrorsOf(fields, save.variables?.rules, permissions)}
        />
        <InputFallbackFields
          idPrefix="edit"
          value={inputFallback}
          onChange={setInputFallback}
          fields={fields}
          fallbackError={fallbackModelsErrorAt(fields, save.variables?.more.fallbackModels)}
        />
        <SandboxFields
          idPrefix="edit"
          value={sandbox}
          onChange={setSandbox}
          fields={fields}
          mountsEditable={mountsEditable}
          mountsError={mountLines ?? mountsErrorAt(fields, sentMounts)}
        />
        <FormActions onBack={onClose} busy={save.isPending} />
      </form>
    </Dialog>
  );
}
