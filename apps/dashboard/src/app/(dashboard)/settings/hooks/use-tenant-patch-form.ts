"use client";

import type { PatchTenantBody, TenantView } from "@industrial/contracts";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { getApi } from "@/lib/api";
import { fieldErrorsOf } from "@/lib/field-errors";
import { qk, useAccess } from "@/lib/queries";
import { useToast } from "@/components/ui/toast";

/**
 * A settings card that edits part of one tenant through PATCH /tenants/{id}
 * (quotas and budgets; the notify webhook). Each card has its own form and
 * body; this hook makes them save alike: the form starts from the tenant and
 * starts again from the one the server returns, Reset goes back to the
 * tenant shown, and the server's field errors come back for the fields.
 * `mayEdit`: a lead or admin; below lead the card only shows the values.
 */
export function useTenantPatchForm<F extends object>(
  tenant: TenantView,
  {
    toForm,
    toBody,
    saved,
  }: { toForm: (t: TenantView) => F; toBody: (f: F) => PatchTenantBody; saved: (t: TenantView) => string },
) {
  const { can } = useAccess();
  const [f, setF] = useState<F>(() => toForm(tenant));
  const qc = useQueryClient();
  const toast = useToast();
  const save = useMutation({
    mutationFn: (body: PatchTenantBody) => getApi().call("patchTenant", { params: { id: tenant.id }, body }),
    onSuccess: (t) => {
      setF(toForm(t));
      void qc.invalidateQueries({ queryKey: qk.tenants });
      // The usage card measures against the budgets a save may have changed.
      void qc.invalidateQueries({ queryKey: qk.tenantUsage(t.id) });
      toast.ok(saved(t));
    },
  });
  const { fields, form } = fieldErrorsOf(save.error);
  const set = <K extends keyof F>(k: K, v: F[K]) => setF((old) => ({ ...old, [k]: v }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate(toBody(f));
  };
  const reset = () => {
    save.reset();
    setF(toForm(tenant));
  };
  return { f, set, save, fields, formError: form, submit, reset, mayEdit: can("patchTenant") };
}
