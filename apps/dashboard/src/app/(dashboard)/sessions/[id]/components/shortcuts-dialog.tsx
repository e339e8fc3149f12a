"use client";

import { SESSION_SHORTCUTS } from "@/lib/session-shortcuts";
import { Dialog } from "@/components/ui/dialog";

/** The session page's keyboard shortcuts, listed (`?`). */
export function ShortcutsDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  return (
    <Dialog open={open} onClose={onClose} title="Keyboard shortcuts">
      <dl data-slot="shortcuts" className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-2 text-sm">
        {SESSION_SHORTCUTS.map((s) => (
          <div key={s.key} className="contents">
            <dt>
              <kbd className="num inline-block min-w-8 border-2 border-line px-2 text-center text-fg">{s.key}</kbd>
            </dt>
            <dd className="text-muted">{s.label}</dd>
          </div>
        ))}
      </dl>
      <p className="mt-4 text-sm text-muted">
        In the log: <kbd className="num text-fg">↓</kbd> <kbd className="num text-fg">↑</kbd> move between line numbers,
        Enter selects a line, Shift+↓/↑ extends the selection for Copy.
      </p>
      <p className="mt-2 text-xs text-subtle">Not while typing in a field, nor with Ctrl, Alt or Cmd held.</p>
    </Dialog>
  );
}
