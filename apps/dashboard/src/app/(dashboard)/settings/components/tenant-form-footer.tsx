import type { ReactNode } from "react";
import { FormActions } from "@/components/ui/form-actions";

/** A tenant settings card's last row: Reset and Save for whoever may edit it, otherwise a note saying who does. */
export function TenantFormFooter({ mayEdit, readOnly, onReset, busy }: { mayEdit: boolean; readOnly: ReactNode; onReset: () => void; busy: boolean }) {
  if (mayEdit) return <FormActions back="Reset" onBack={onReset} busy={busy} />;
  return (
    <p data-slot="read-only" className="border-t-2 border-line pt-4 text-xs text-muted">
      {readOnly}
    </p>
  );
}
