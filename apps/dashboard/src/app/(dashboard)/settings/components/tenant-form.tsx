"use client";

import type { PatchTenantBody, TenantView } from "@industrial/contracts";
import { errorAt } from "@/lib/field-errors";
import { useAccess } from "@/lib/queries";
import { ErrorPanel } from "@/components/ui/error-panel";
import { Field, Input } from "@/components/ui/input";
import { useTenantPatchForm } from "../hooks/use-tenant-patch-form";
import { allowListErrorAt, fromAllowListForm, toAllowListForm, type AllowListForm } from "../lib/allow-lists";
import { AllowListField } from "./allow-list-field";
import { TenantFormFooter } from "./tenant-form-footer";

type Form = {
  name: string;
  maxConcurrentSessions: string;
  weight: string;
  monthlyTokenBudget: string;
  monthlyCostBudgetUsd: string;
  retentionDays: string;
  active: boolean;
  allowedModels: AllowListForm;
  allowedRepositoryPrefixes: AllowListForm;
};

const toForm = (t: TenantView): Form => ({
  name: t.name,
  maxConcurrentSessions: String(t.maxConcurrentSessions),
  weight: String(t.weight),
  monthlyTokenBudget: t.monthlyTokenBudget === null ? "" : String(t.monthlyTokenBudget),
  monthlyCostBudgetUsd: t.monthlyCostBudgetUsd === null ? "" : String(t.monthlyCostBudgetUsd),
  retentionDays: t.retentionDays === null ? "" : String(t.retentionDays),
  active: t.active,
  allowedModels: toAllowListForm(t.allowedModels),
  allowedRepositoryPrefixes: toAllowListForm(t.allowedRepositoryPrefixes),
});

/**
 * What was typed, as the API takes it: a number when the text is one, the
 * text itself otherwise (so the API's own message names the field), and an
 * empty budget as null ("no budget").
 */
const typed = (s: string): number | string => (s.trim() !== "" && Number.isFinite(Number(s)) ? Number(s) : s);

/**
 * PATCH /tenants/{id}: quota, weight, budgets, retention, the models and the network
 * repositories its sessions may name, name, active. The server validates;
 * its field errors show under each field. A lead sets all but name and active
 * (the admin's, so a lead's form neither edits nor sends them); below lead
 * the form only shows the values.
 */
export function TenantForm({ tenant }: { tenant: TenantView }) {
  const { me } = useAccess();
  const admin = me?.role === "admin";
  const { f, set, save, fields, formError, submit, reset, mayEdit } = useTenantPatchForm(tenant, {
    toForm,
    // The form's values are sent as typed; the schema on the server is the only check.
    toBody: (v) =>
      ({
        ...(admin ? { name: v.name, active: v.active } : {}),
        maxConcurrentSessions: typed(v.maxConcurrentSessions),
        weight: typed(v.weight),
        monthlyTokenBudget: v.monthlyTokenBudget.trim() === "" ? null : typed(v.monthlyTokenBudget),
        monthlyCostBudgetUsd: v.monthlyCostBudgetUsd.trim() === "" ? null : typed(v.monthlyCostBudgetUsd),
        retentionDays: v.retentionDays.trim() === "" ? null : typed(v.retentionDays),
        allowedModels: fromAllowListForm(v.allowedModels),
        allowedRepositoryPrefixes: fromAllowListForm(v.allowedRepositoryPrefixes),
      }) as PatchTenantBody,
    saved: (t) => `Saved ${t.name}: admission applies it at once`,
  });
  return (
    <form
      onSubmit={submit}
      noValidate
      aria-label={`Quotas and budgets of ${tenant.name}`}
      className="flex flex-col gap-4"
      data-slot="tenant-form"
    >
      {formError ? <ErrorPanel title="Not saved" error={save.error} /> : null}
      <fieldset disabled={!mayEdit} className="flex min-w-0 flex-col gap-4">
        <Field
          id="tenant-name"
          label="Name"
          errors={fields}
          path="name"
          hint={mayEdit && !admin ? "An admin renames a tenant." : undefined}
        >
          {(aria) => <Input {...aria} value={f.name} disabled={!admin} onChange={(e) => set("name", e.target.value)} />}
        </Field>
        <div className="grid gap-4 sm:grid-cols-2">
          <Field
            id="tenant-max"
            label="Max concurrent sessions"
            hint="Running at once (queued ones do not count); 0 runs nothing."
            errors={fields}
            path="maxConcurrentSessions"
          >
            {(aria) => (
              <Input
                {...aria}
                inputMode="numeric"
                value={f.maxConcurrentSessions}
                onChange={(e) => set("maxConcurrentSessions", e.target.value)}
              />
            )}
          </Field>
          <Field
            id="tenant-weight"
            label="Weight"
            hint="Its share of running slots while other tenants also have queued work; over 0, up to 1000 (default 1)."
            errors={fields}
            path="weight"
          >
            {(aria) => (
              <Input {...aria} inputMode="decimal" value={f.weight} onChange={(e) => set("weight", e.target.value)} />
            )}
          </Field>
        </div>
        <div className="grid gap-4 sm:grid-cols-2">
          <Field
            id="tenant-tokens"
            label="Monthly token budget"
            hint="Empty: no budget."
            errors={fields}
            path="monthlyTokenBudget"
          >
            {(aria) => (
              <Input
                {...aria}
                inputMode="numeric"
                value={f.monthlyTokenBudget}
                onChange={(e) => set("monthlyTokenBudget", e.target.value)}
                placeholder="none"
              />
            )}
          </Field>
          <Field
            id="tenant-cost"
            label="Monthly cost budget USD"
            hint="Empty: no budget."
            errors={fields}
            path="monthlyCostBudgetUsd"
          >
            {(aria) => (
              <Input
                {...aria}
                inputMode="decimal"
                value={f.monthlyCostBudgetUsd}
                onChange={(e) => set("monthlyCostBudgetUsd", e.target.value)}
                placeholder="none"
              />
            )}
          </Field>
        </div>
        <Field
          id="tenant-retention"
          label="Keep events and audit entries (days)"
          hint="Older session events and audit entries are deleted; sessions and checkpoints stay. Empty: forever."
          errors={fields}
          path="retentionDays"
        >
          {(aria) => (
            <Input
              {...aria}
              inputMode="numeric"
              value={f.retentionDays}
              onChange={(e) => set("retentionDays", e.target.value)}
              placeholder="forever"
            />
          )}
        </Field>
        <AllowListField
          id="tenant-models"
          label="Models sessions and agents may name"
          any="Any model"
          only="Only the models listed"
          placeholder={"provider/model, one per line\nanthropic/claude-sonnet-4"}
          hint="One provider/model per line; none listed: no model may be named."
          error={allowListErrorAt(fields, "allowedModels", save.variables?.allowedModels ?? null)}
          value={f.allowedModels}
          onChange={(v) => set("allowedModels", v)}
        />
        <AllowListField
          id="tenant-prefixes"
          label="Network repositories sessions may name"
          any="Any git URL"
          only="Only URLs under the prefixes listed"
          placeholder={"a git URL prefix per line\nhttps://git.example.com/team/"}
          hint="One prefix per line (https://, ssh://, git://, user@host:); none listed: no network repository. Paths and file:// URLs obey the workspace roots."
          error={allowListErrorAt(
            fields,
            "allowedRepositoryPrefixes",
            save.variables?.allowedRepositoryPrefixes ?? null,
          )}
          value={f.allowedRepositoryPrefixes}
          onChange={(v) => set("allowedRepositoryPrefixes", v)}
        />
        <label className="flex items-center gap-2 text-sm">
          <input
            type="checkbox"
            id="tenant-active"
            className="h-4 w-4 accent-[var(--color-accent)] disabled:opacity-50"
            checked={f.active}
            disabled={!admin}
            onChange={(e) => set("active", e.target.checked)}
          />
          Active: admits new sessions (inactive: running ones finish, new ones wait)
        </label>
        {errorAt(fields, "active") ? <p className="text-xs text-st-failed">✗ {errorAt(fields, "active")}</p> : null}
      </fieldset>
      <TenantFormFooter
        mayEdit={mayEdit}
        readOnly="Your role reads these limits; a lead of the tenant changes quota, weight, budgets, retention and the allowed models and repositories."
        onReset={reset}
        busy={save.isPending}
      />
    </form>
  );
}
