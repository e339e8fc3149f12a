"use client";

import type { CreateApiKeyBody } from "@industrial/contracts";
import { ROLES, isRoleAtLeast, type Role } from "@industrial/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { getApi } from "@/lib/api";
import { fieldErrorsOf } from "@/lib/field-errors";
import { qk, useAccess, useUsers } from "@/lib/queries";
import { FormActions } from "@/components/ui/form-actions";
import { Dialog } from "@/components/ui/dialog";
import { ErrorPanel } from "@/components/ui/error-panel";
import { Field, Input, Select } from "@/components/ui/input";
import { KeyShownOnce } from "./key-shown-once";

type Form = { name: string; role: Role; userId: string; expiresAt: string };

/** A datetime-local value as the API takes it (ISO, UTC); what cannot be read is sent as typed, so the API names the field. */
function toIso(local: string): string | undefined {
  if (!local.trim()) return undefined;
  const d = new Date(local);
  return Number.isNaN(d.getTime()) ? local : d.toISOString();
}

/**
 * Create a key, then show it once. The answer carrying the key lives only in
 * this dialog's mutation (dropped from the cache as soon as the dialog
 * closes: gcTime 0), never in a list, a store or the URL.
 */
export function CreateKeyDialog({ onClose }: { onClose: () => void }) {
  const qc = useQueryClient();
  const { me } = useAccess();
  const users = useUsers();
  const [f, setF] = useState<Form>({ name: "", role: "viewer", userId: "", expiresAt: "" });
  const create = useMutation({
    mutationFn: (body: CreateApiKeyBody) => getApi().call("createApiKey", { body }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: qk.apiKeys }),
    gcTime: 0,
  });
  const { fields, form } = fieldErrorsOf(create.error);
  const set = <K extends keyof Form>(k: K, v: Form[K]) => setF((old) => ({ ...old, [k]: v }));
  const close = () => {
    create.reset();
    onClose();
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate({
      name: f.name,
      role: f.role,
      ...(f.userId ? { userId: f.userId } : {}),
      ...(f.expiresAt ? { expiresAt: toIso(f.expiresAt) } : {}),
    });
  };
  // No key above your own role (the server refuses it too).
  const roles = [...ROLES].reverse().filter((r) => !me || isRoleAtLeast(me.role, r));

  if (create.data)
    return (
      <Dialog open onClose={close} title="API key created">
        <KeyShownOnce created={create.data} onDone={close} />
      </Dialog>
    );
  return (
    <Dialog
      open
      onClose={close}
      title="Create API key"
      footer={<FormActions bare form="new-key" onBack={close} submit="Create key" busy={create.isPending} />}
    >
      <form id="new-key" onSubmit={submit} noValidate className="flex flex-col gap-4">
        {form ? <ErrorPanel title="Not created" error={create.error} /> : null}
        <Field
          id="key-name"
          label="Name"
          hint="What or who uses it: ci-deploy, grafana, alice-laptop."
          errors={fields}
          path="name"
        >
          {(aria) => (
            <Input {...aria} value={f.name} onChange={(e) => set("name", e.target.value)} autoComplete="off" />
          )}
        </Field>
        <div className="grid gap-4 sm:grid-cols-2">
          <Field id="key-role" label="Role" errors={fields} path="role">
            {(aria) => (
              <Select {...aria} value={f.role} onChange={(e) => set("role", e.target.value as Role)}>
                {roles.map((r) => (
                  <option key={r} value={r}>
                    {r}
                  </option>
                ))}
              </Select>
            )}
          </Field>
          <Field
            id="key-user"
            label="For user"
            hint="Optional: it acts with the user's role if narrower."
            errors={fields}
            path="userId"
          >
            {(aria) => (
              <Select {...aria} value={f.userId} onChange={(e) => set("userId", e.target.value)}>
                <option value="">No user: the key acts on its own</option>
                {(users.data?.items ?? []).map((u) => (
                  <option key={u.id} value={u.id}>
                    {u.name} ({u.role})
                  </option>
                ))}
              </Select>
            )}
          </Field>
        </div>
        <Field
          id="key-expires"
          label="Expires"
          hint="Optional, your local time; empty: never."
          errors={fields}
          path="expiresAt"
        >
          {(aria) => (
            <Input
              {...aria}
              type="datetime-local"
              value={f.expiresAt}
              onChange={(e) => set("expiresAt", e.target.value)}
            />
          )}
        </Field>
      </form>
    </Dialog>
  );
}
