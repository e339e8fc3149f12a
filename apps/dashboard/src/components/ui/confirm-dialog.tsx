"use client";

import type { ReactNode } from "react";
import { Button } from "./button";
import { Dialog } from "./dialog";
import { ErrorPanel } from "./error-panel";

/**
 * "Are you sure?" for what cannot be undone (revoke a key, remove a user):
 * what will happen, the API's refusal if it refused, Cancel and the danger
 * button. The one footer every confirmation shares. It opens on Cancel, so
 * an Enter held down from the button that opened it cannot confirm what
 * cannot be undone; a confirmation that loses nothing (retry) opens on its
 * own button (`opensOn="confirm"`): Enter confirms. Escape cancels.
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
  opensOn = "cancel",
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
  /** Which button has the focus when it opens. */
  opensOn?: "cancel" | "confirm";
}) {
  return (
    <Dialog
      open={open}
      onClose={onClose}
      title={title}
      footer={
        <>
          <Button variant="ghost" onClick={onClose} data-autofocus={opensOn === "cancel" ? true : undefined}>
            Cancel
          </Button>
          <Button
            variant="danger"
            busy={busy}
            onClick={onConfirm}
            data-autofocus={opensOn === "confirm" ? true : undefined}
          >
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
