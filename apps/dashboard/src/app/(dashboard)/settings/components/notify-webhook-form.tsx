"use client";

import type { TenantView } from "@industrial/contracts";
import { ErrorPanel } from "@/components/ui/error-panel";
import { Field, Input } from "@/components/ui/input";
import { useTenantPatchForm } from "../hooks/use-tenant-patch-form";
import { fromNotifyWebhookForm, toNotifyWebhookForm } from "../lib/notify-webhook";
import { TenantFormFooter } from "./tenant-form-footer";

/**
 * The tenant's own notify webhook (README, "Notifications"): where its new
 * input requests and finished, failed or timed-out sessions and tasks are
 * POSTed instead of the server's default, and the secret that signs them. The
 * secret is write-only: the API says whether one is set, never what it is.
 * A lead or admin edits it; below lead the form only shows it.
 */
export function NotifyWebhookSettings({ tenant }: { tenant: TenantView }) {
  const { f, set, save, fields, formError, submit, reset, mayEdit } = useTenantPatchForm(tenant, {
    toForm: toNotifyWebhookForm,
    toBody: fromNotifyWebhookForm,
    saved: (t) =>
      t.notifyWebhookUrl
        ? `Notifications of ${t.name} go to its webhook`
        : `Notifications of ${t.name} go to the server's default`,
  });
  return (
    <form
      onSubmit={submit}
      noValidate
      aria-label={`Notify webhook of ${tenant.name}`}
      className="flex flex-col gap-4"
      data-slot="notify-webhook-form"
    >
      {formError ? <ErrorPanel title="Not saved" error={save.error} /> : null}
      <fieldset disabled={!mayEdit} className="flex min-w-0 flex-col gap-4">
        <Field
          id="notify-url"
          label="Webhook URL"
          hint="New input requests, and sessions and tasks that finish, fail or time out, are POSTed here as signed JSON. Empty: the server's default (ORCHESTRATOR_NOTIFY_WEBHOOK_URL), if set."
          errors={fields}
          path="notifyWebhookUrl"
        >
          {(aria) => (
            <Input
              {...aria}
              type="url"
              value={f.url}
              onChange={(e) => set("url", e.target.value)}
              placeholder="https://hooks.example.com/orchestrator"
            />
          )}
        </Field>
        <Field
          id="notify-secret"
          label="New signing secret"
          hint={`${tenant.notifyWebhookSecretSet ? "A secret is set (it is never shown)." : "No secret: bodies go unsigned."} At least 16 characters; checked with x-orchestrator-signature: sha256=<HMAC>. Empty: keep it.`}
          errors={fields}
          path="notifyWebhookSecret"
        >
          {(aria) => (
            <Input
              {...aria}
              type="password"
              autoComplete="new-password"
              value={f.newSecret}
              onChange={(e) => set("newSecret", e.target.value)}
              placeholder={tenant.notifyWebhookSecretSet ? "•••••••• (set)" : "none"}
            />
          )}
        </Field>
        {tenant.notifyWebhookSecretSet ? (
          <label className="flex items-center gap-2 text-sm">
            <input
              type="checkbox"
              id="notify-remove-secret"
              className="h-4 w-4 accent-[var(--color-accent)] disabled:opacity-50"
              checked={f.removeSecret}
              onChange={(e) => set("removeSecret", e.target.checked)}
            />
            Remove the secret (bodies go unsigned)
          </label>
        ) : null}
      </fieldset>
      <TenantFormFooter
        mayEdit={mayEdit}
        readOnly="Your role reads this setting; a lead of the tenant changes it."
        onReset={reset}
        busy={save.isPending}
        submit="Save notifications"
        slot="notify-read-only"
      />
    </form>
  );
}
