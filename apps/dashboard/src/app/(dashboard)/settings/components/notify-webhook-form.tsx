"use client";

import type { TenantView } from "@industrial/contracts";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { getApi } from "@/lib/api";
import { errorAt, fieldErrorsOf } from "@/lib/field-errors";
import { qk, useAccess } from "@/lib/queries";
import { Button } from "@/components/ui/button";
import { ErrorPanel } from "@/components/ui/error-panel";
import { Field, fieldAria, Input } from "@/components/ui/input";
import { useToast } from "@/components/ui/toast";
import { fromNotifyWebhookForm, toNotifyWebhookForm, type NotifyWebhookForm } from "../lib/notify-webhook";

/**
 * The tenant's own notify webhook (README, "Notifications"): where its new
 * input requests and finished, failed or timed-out sessions and tasks are
 * POSTed instead of the server's default, and the secret that signs them. The
 * secret is write-only: the API says whether one is set, never what it is.
 * A lead or admin edits it; below lead the form only shows it.
 */
export function NotifyWebhookSettings({ tenant }: { tenant: TenantView }) {
  const { can } = useAccess();
  const mayEdit = can("patchTenant");
  const [f, setF] = useState<NotifyWebhookForm>(() => toNotifyWebhookForm(tenant));
  const qc = useQueryClient();
  const toast = useToast();
  const save = useMutation({
    mutationFn: (form: NotifyWebhookForm) => getApi().call("patchTenant", { params: { id: tenant.id }, body: fromNotifyWebhookForm(form) }),
    onSuccess: (t) => {
      setF(toNotifyWebhookForm(t));
      void qc.invalidateQueries({ queryKey: qk.tenants });
      toast.ok(t.notifyWebhookUrl ? `Notifications of ${t.name} go to its webhook` : `Notifications of ${t.name} go to the server's default`);
    },
  });
  const { fields, form } = fieldErrorsOf(save.error);
  const set = <K extends keyof NotifyWebhookForm>(k: K, v: NotifyWebhookForm[K]) => setF((old) => ({ ...old, [k]: v }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate(f);
  };
  return (
    <form onSubmit={submit} noValidate aria-label={`Notify webhook of ${tenant.name}`} className="flex flex-col gap-4" data-slot="notify-webhook-form">
      {form ? <ErrorPanel title="Not saved" error={save.error} /> : null}
      <fieldset disabled={!mayEdit} className="flex min-w-0 flex-col gap-4">
        <Field
          id="notify-url"
          label="Webhook URL"
          hint="New input requests, and sessions and tasks that finish, fail or time out, are POSTed here as signed JSON. Empty: the server's default (ORCHESTRATOR_NOTIFY_WEBHOOK_URL), if set."
          error={errorAt(fields, "notifyWebhookUrl")}
        >
          <Input {...fieldAria("notify-url", errorAt(fields, "notifyWebhookUrl"))} type="url" value={f.url} onChange={(e) => set("url", e.target.value)} placeholder="https://hooks.example.com/orchestrator" />
        </Field>
        <Field
          id="notify-secret"
          label="New signing secret"
          hint={`${tenant.notifyWebhookSecretSet ? "A secret is set (it is never shown)." : "No secret: bodies go unsigned."} At least 16 characters; checked with x-orchestrator-signature: sha256=<HMAC>. Empty: keep it.`}
          error={errorAt(fields, "notifyWebhookSecret")}
        >
          <Input {...fieldAria("notify-secret", errorAt(fields, "notifyWebhookSecret"))} type="password" autoComplete="new-password" value={f.newSecret} onChange={(e) => set("newSecret", e.target.value)} placeholder={tenant.notifyWebhookSecretSet ? "•••••••• (set)" : "none"} />
        </Field>
        {tenant.notifyWebhookSecretSet ? (
          <label className="flex items-center gap-2 text-sm">
            <input type="checkbox" id="notify-remove-secret" className="h-4 w-4 accent-[var(--color-accent)] disabled:opacity-50" checked={f.removeSecret} onChange={(e) => set("removeSecret", e.target.checked)} />
            Remove the secret (bodies go unsigned)
          </label>
        ) : null}
      </fieldset>
      {!mayEdit ? (
        <p data-slot="read-only" className="border-t-2 border-line pt-4 text-xs text-muted">
          Your role reads this setting; a lead of the tenant changes it.
        </p>
      ) : (
        <div className="flex justify-end gap-3 border-t-2 border-line pt-4">
          <Button
            variant="ghost"
            onClick={() => {
              save.reset();
              setF(toNotifyWebhookForm(tenant));
            }}
          >
            Reset
          </Button>
          <Button type="submit" variant="primary" busy={save.isPending}>
            Save
          </Button>
        </div>
      )}
    </form>
  );
}
