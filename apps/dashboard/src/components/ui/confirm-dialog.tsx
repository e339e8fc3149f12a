"use client";

import type { ReactNode } from "react";
import { Button } from "./button";
import { Dialog } from "./dialog";
import { ErrorPanel } from "./error-panel";

/**
 * "Are you sure?" for what cannot be undone (revoke a key, remove a user):
 * what will happen, the API's refusal if it refused, Cancel and the danger
 * button. The one footer every confirmation shares. It opens on the danger
 * button: Enter confirms, Escape cancels.
 */
export function ConfirmDialog({
  open,
  title,
  confirm,
  busy,
  error,
  onConfirm,
  onClose,
  children,
}: {
  open: boolean;
  title: string;
  /** The danger button's words: what it does ("Revoke key"). */
  confirm: string;
  busy?: boolean;
  error?: unknown;
  onConfirm: () => void;
  onClose: () => void;
  children: ReactNode;
}) {
  return (
    <Dialog
      open={open}
      onClose={onClose}
      title={title}
      footer={
        <>
          <Button variant="ghost" onClick={onClose}>
            Cancel
          </Button>
          <Button variant="danger" busy={busy} onClick={onConfirm} data-autofocus>
            {confirm}
          </Button>
        </>
      }
    >
      <div className="flex flex-col gap-3 text-sm">
        {error ? <ErrorPanel title="Refused" error={error} /> : null}
        {children}
      </div>
    </Dialog>
  );
}
