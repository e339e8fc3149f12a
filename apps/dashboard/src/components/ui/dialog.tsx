"use client";

import { useEffect, useId, useRef, type ReactNode } from "react";
import { Button } from "./button";

/** Focus inside a dialog when it opens: what asks for it, else a form's first field (Enter then submits). */
const FIRST_FOCUS =
  "[data-autofocus], form input:not([type=hidden]):not([type=radio]):not([type=checkbox]), form textarea";

/** Focus goes back to whatever opened the dialog, if it is still on the page. */
function refocus(opener: { current: HTMLElement | null }) {
  const el = opener.current;
  opener.current = null;
  if (el?.isConnected) el.focus();
}

/**
 * A modal on the native <dialog>: the browser traps focus, Escape closes it,
 * and the page behind is inert. It opens on its confirm button or its form's
 * first field, and on closing (or unmounting) gives focus back to its opener.
 */
export function Dialog({
  open,
  onClose,
  title,
  children,
  footer,
  wide,
}: {
  open: boolean;
  onClose: () => void;
  title: string;
  children: ReactNode;
  footer?: ReactNode;
  wide?: boolean;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const opener = useRef<HTMLElement | null>(null);
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) {
      opener.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
      d.showModal();
      d.querySelector<HTMLElement>(FIRST_FOCUS)?.focus();
    }
    if (!open && d.open) {
      d.close();
      refocus(opener);
    }
  }, [open]);
  // A dialog unmounted while open (retry, restore) is removed, not closed.
  useEffect(() => () => refocus(opener), []);
  return (
    <dialog
      ref={ref}
      data-slot="dialog"
      aria-labelledby={titleId}
      onClose={onClose}
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
      className={`m-auto max-h-[90dvh] w-[calc(100%-2rem)] ${wide ? "max-w-3xl" : "max-w-xl"} overflow-hidden border-2 border-fg bg-panel p-0 text-fg shadow-hard-accent backdrop:bg-black/75`}
    >
      {open ? (
        <div className="flex max-h-[90dvh] flex-col">
          <div className="flex items-center justify-between border-b-2 border-line px-5 py-3">
            <h2 id={titleId} className="label text-fg">
              {title}
            </h2>
            <Button variant="ghost" size="icon" aria-label="Close" onClick={onClose}>
              ✕
            </Button>
          </div>
          <div className="overflow-y-auto px-5 py-4">{children}</div>
          {footer ? <div className="flex justify-end gap-3 border-t-2 border-line px-5 py-3">{footer}</div> : null}
        </div>
      ) : null}
    </dialog>
  );
}
