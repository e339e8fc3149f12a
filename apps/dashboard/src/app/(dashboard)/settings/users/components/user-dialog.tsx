"use client";

import type { CreateUserBody, UserView } from "@industrial/contracts";
import { ROLES, type Role } from "@industrial/core";
import { useState, type FormEvent } from "react";
import { getApi } from "@/lib/api";
import { useApiMutation } from "@/lib/use-api-mutation";
import { fieldErrorsOf } from "@/lib/field-errors";
import { qk } from "@/lib/queries";
import { FormActions } from "@/components/ui/form-actions";
import { Dialog } from "@/components/ui/dialog";
import { ErrorPanel } from "@/components/ui/error-panel";
import { Field, Input, Select } from "@/components/ui/input";

type Form = { name: string; email: string; role: Role };

/**
 * Add a user, or change one's name, email and role (its keys follow the new
 * role at once). What was typed goes to the API as it is; its 400 details
 * show under the fields.
 */
export function UserDialog({ user, open, onClose }: { user: UserView | null; open: boolean; onClose: () => void }) {
  const [f, setF] = useState<Form>(() =>
    user ? { name: user.name, email: user.email, role: user.role } : { name: "", email: "", role: "member" },
  );
  const save = useApiMutation({
    call: (body: CreateUserBody) =>
      user ? getApi().call("patchUser", { params: { id: user.id }, body }) : getApi().call("createUser", { body }),
    refresh: [qk.users],
    done: (u) => (user ? `Saved ${u.name} (${u.role})` : `Added ${u.name} as ${u.role}`),
    then: () => {
      onClose();
    },
  });
  const { fields, form } = fieldErrorsOf(save.error);
  const set = <K extends keyof Form>(k: K, v: Form[K]) => setF((old) => ({ ...old, [k]: v }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate(f);
  };
  const id = user ? "edit-user" : "new-user";
  return (
    <Dialog
      open={open}
      onClose={onClose}
      title={user ? `Edit ${user.name}` : "Add user"}
      footer={
        <FormActions bare form={id} onBack={onClose} submit={user ? "Save user" : "Add user"} busy={save.isPending} />
      }
    >
      <form id={id} onSubmit={submit} noValidate className="flex flex-col gap-4">
        {form ? <ErrorPanel title={user ? "Not saved" : "Not added"} error={save.error} /> : null}
        <Field id="user-name" label="Name" errors={fields} path="name">
          {(aria) => (
            <Input {...aria} value={f.name} onChange={(e) => set("name", e.target.value)} autoComplete="off" />
          )}
        </Field>
        <Field id="user-email" label="Email" errors={fields} path="email">
          {(aria) => (
            <Input
              {...aria}
              type="email"
              value={f.email}
              onChange={(e) => set("email", e.target.value)}
              autoComplete="off"
            />
          )}
        </Field>
        <Field
          id="user-role"
          label="Role"
          hint="The user's keys act with this role, or their own if it is narrower."
          errors={fields}
          path="role"
        >
          {(aria) => (
            <Select {...aria} value={f.role} onChange={(e) => set("role", e.target.value as Role)}>
              {[...ROLES].reverse().map((r) => (
                <option key={r} value={r}>
                  {r}
                </option>
              ))}
            </Select>
          )}
        </Field>
      </form>
    </Dialog>
  );
}
