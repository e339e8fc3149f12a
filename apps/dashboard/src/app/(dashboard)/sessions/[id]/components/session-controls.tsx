"use client";

import type { SessionView } from "@industrial/contracts";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { getApi } from "@/lib/api";
import { qk, useAccess } from "@/lib/queries";
import { allowedControls, type SessionControl } from "@/lib/status";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { useToast } from "@/components/ui/toast";
import { useSessionShortcuts } from "../hooks/use-session-shortcuts";
import { RetryDialog } from "./retry-dialog";
import { ShortcutsDialog } from "./shortcuts-dialog";

// Retry is not here: it asks where to start from first (retry-dialog.tsx).
const ROUTE = {
  start: "startSession",
  pause: "pauseSession",
  resume: "resumeSession",
  stop: "stopSession",
  cancel: "cancelSession",
} as const;
const LABEL: Record<SessionControl, string> = {
  start: "Start",
  pause: "Pause",
  resume: "Resume",
  stop: "Stop",
  cancel: "Cancel",
  retry: "Retry",
};
const VARIANT: Record<SessionControl, "primary" | "secondary" | "danger"> = {
  start: "primary",
  pause: "secondary",
  resume: "primary",
  stop: "danger",
  cancel: "danger",
  retry: "primary",
};
/** The keys of lib/session-shortcuts.ts, announced on their buttons. */
const KEY: Partial<Record<SessionControl, string>> = { pause: "p", resume: "p", stop: "s" };

/**
 * Start / Pause / Resume / Stop / Retry / Cancel, shown only where the state
 * machine allows them and to whoever may control the session (a lead any of
 * the tenant's, a member its own, a viewer none). The answer (the session) replaces the cached one at
 * once; a refusal comes back as a toast with the API's message. Retry opens
 * a dialog with its choices (latest, a chosen checkpoint, fresh). The
 * page's keyboard shortcuts live here too (`?` lists them); `s` asks before
 * stopping, as one stray key should not stop a run.
 */
export function SessionControls({ session }: { session: SessionView }) {
  const qc = useQueryClient();
  const toast = useToast();
  const [retrying, setRetrying] = useState(false);
  const [stopping, setStopping] = useState(false);
  const [help, setHelp] = useState(false);
  const act = useMutation({
    mutationFn: (c: Exclude<SessionControl, "retry">) => getApi().call(ROUTE[c], { params: { id: session.id } }),
    // Optimistic: the header shows the request at once; a refusal puts the session back.
    onMutate: async (c) => {
      const key = qk.session(session.id);
      await qc.cancelQueries({ queryKey: key, exact: true });
      const prev = qc.getQueryData<SessionView>(key);
      if (prev && c !== "start") qc.setQueryData<SessionView>(key, { ...prev, requestedAction: c });
      return { prev };
    },
    onSuccess: (s, c) => {
      qc.setQueryData(qk.session(s.id), s);
      void qc.invalidateQueries({ queryKey: ["sessions"] });
      toast.ok(`${LABEL[c]}: ${s.requestedAction ? `${s.requestedAction} requested` : s.status}`);
    },
    onError: (e, c, ctx) => {
      if (ctx?.prev) qc.setQueryData(qk.session(session.id), ctx.prev);
      toast.error(e, `${LABEL[c]} refused`);
    },
  });
  const mayControl = useAccess().canControl(session.createdBy);
  useSessionShortcuts({
    session,
    mayControl,
    onControl: (c) => (act.isPending ? toast.error(`${LABEL[c]}: another request is on its way`) : act.mutate(c)),
    onStop: () => setStopping(true),
    onHelp: () => setHelp(true),
    onRefused: (message) => toast.error(message),
  });
  const controls = allowedControls(session.status);
  return (
    <div className="flex flex-wrap items-center gap-2">
      {controls.length && mayControl ? (
        <div role="group" aria-label="Session controls" className="flex flex-wrap gap-2">
          {controls.map((c) => (
            <Button
              key={c}
              size="sm"
              variant={VARIANT[c]}
              busy={act.isPending && act.variables === c}
              disabled={act.isPending || (session.requestedAction !== null && c !== "stop" && c !== "cancel")}
              onClick={() => (c === "retry" ? setRetrying(true) : act.mutate(c))}
              aria-keyshortcuts={KEY[c]}
              title={KEY[c] ? `${LABEL[c]} (${KEY[c]})` : undefined}
            >
              {LABEL[c]}
            </Button>
          ))}
        </div>
      ) : null}
      <Button
        size="sm"
        variant="ghost"
        aria-keyshortcuts="?"
        title="Keyboard shortcuts (?)"
        onClick={() => setHelp(true)}
      >
        Keys ?
      </Button>
      {retrying ? <RetryDialog session={session} onClose={() => setRetrying(false)} /> : null}
      <ConfirmDialog
        open={stopping}
        title="Stop session"
        confirm="Stop"
        onConfirm={() => {
          setStopping(false);
          act.mutate("stop");
        }}
        onClose={() => setStopping(false)}
      >
        <p>The agent's run ends here; Retry can start the session again.</p>
      </ConfirmDialog>
      <ShortcutsDialog open={help} onClose={() => setHelp(false)} />
    </div>
  );
}
