"use client";

import type { SessionView } from "@industrial/contracts";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { getApi } from "@/lib/api";
import { qk, useAccess } from "@/lib/queries";
import { allowedControls, type SessionControl } from "@/lib/status";
import { Button } from "@/components/ui/button";
import { useToast } from "@/components/ui/toast";
import { RetryDialog } from "./retry-dialog";

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

/**
 * Start / Pause / Resume / Stop / Retry / Cancel, shown only where the state
 * machine allows them and to whoever may control the session (a lead any of
 * the tenant's, a member its own, a viewer none). The answer (the session) replaces the cached one at
 * once; a refusal comes back as a toast with the API's message. Retry opens
 * a dialog with its choices (latest, a chosen checkpoint, fresh).
 */
export function SessionControls({ session }: { session: SessionView }) {
  const qc = useQueryClient();
  const toast = useToast();
  const [retrying, setRetrying] = useState(false);
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
  const controls = allowedControls(session.status);
  if (!controls.length || !mayControl) return null;
  return (
    <div role="group" aria-label="Session controls" className="flex flex-wrap gap-2">
      {controls.map((c) => (
        <Button
          key={c}
          size="sm"
          variant={VARIANT[c]}
          busy={act.isPending && act.variables === c}
          disabled={act.isPending || (session.requestedAction !== null && c !== "stop" && c !== "cancel")}
          onClick={() => (c === "retry" ? setRetrying(true) : act.mutate(c))}
        >
          {LABEL[c]}
        </Button>
      ))}
      {retrying ? <RetryDialog session={session} onClose={() => setRetrying(false)} /> : null}
    </div>
  );
}
