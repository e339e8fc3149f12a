import type { ReactNode } from "react";
import { FormActions } from "@/components/ui/form-actions";

/**
 * A tenant settings card's last row: Reset and Save for whoever may edit it, otherwise a note saying who does.
 * Several cards share the page: `submit` names each Save apart (a screen reader lists them by name), `slot` each note.
 */
export function TenantFormFooter({
  mayEdit,
  readOnly,
  onReset,
  busy,
  submit,
  slot = "read-only",
}: {
  mayEdit: boolean;
  readOnly: ReactNode;
  onReset: () => void;
  busy: boolean;
  submit?: string;
  slot?: string;
}) {
  if (mayEdit) return <FormActions back="Reset" onBack={onReset} busy={busy} {...(submit ? { submit } : {})} />;
  return (
    <p data-slot={slot} className="border-t-2 border-line pt-4 text-xs text-muted">
      {readOnly}
    </p>
  );
}
