import { Button } from "./button";

/**
 * A form's last row: the ghost button that leaves or undoes it (Cancel in a
 * dialog, Reset on a settings card) and the submit button, busy while the
 * request is out. One component so every form ends alike.
 *
 * `form` ties the submit button to a form by id when it sits outside it (a
 * `<Dialog footer>`, which draws its own row, so `bare` leaves the wrapper out).
 */
export function FormActions({
  back = "Cancel",
  onBack,
  submit = "Save",
  busy,
  form,
  bare,
}: {
  back?: string;
  onBack: () => void;
  submit?: string;
  busy: boolean;
  form?: string;
  bare?: boolean;
}) {
  const buttons = (
    <>
      <Button variant="ghost" onClick={onBack}>
        {back}
      </Button>
      <Button type="submit" form={form} variant="primary" busy={busy}>
        {submit}
      </Button>
    </>
  );
  if (bare) return buttons;
  return (
    <div data-slot="form-actions" className="flex justify-end gap-3 border-t-2 border-line pt-4">
      {buttons}
    </div>
  );
}
