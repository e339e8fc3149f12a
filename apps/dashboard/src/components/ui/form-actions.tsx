import { Button } from "./button";

/**
 * A form's last row: the ghost button that leaves or undoes it (Cancel in a
 * dialog, Reset on a settings card) and the submit button, busy while the
 * request is out. One component so every form ends alike.
 */
export function FormActions({ back = "Cancel", onBack, submit = "Save", busy }: { back?: string; onBack: () => void; submit?: string; busy: boolean }) {
  return (
    <div data-slot="form-actions" className="flex justify-end gap-3 border-t-2 border-line pt-4">
      <Button variant="ghost" onClick={onBack}>
        {back}
      </Button>
      <Button type="submit" variant="primary" busy={busy}>
        {submit}
      </Button>
    </div>
  );
}
