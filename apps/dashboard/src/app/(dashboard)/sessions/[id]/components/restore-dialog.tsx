"use client";

import type { SessionView } from "@industrial/contracts";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { getApi } from "@/lib/api";
import { qk } from "@/lib/queries";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { useToast } from "@/components/ui/toast";
import { useSessionDiff } from "../hooks/use-rewind-data";
import { computeRewindPlan, type CheckpointLike } from "../lib/rewind-plan";
import { RewindSummary } from "./rewind-summary";

/**
 * "Restore checkpoint #n": what goes (the worktree's changes since it, the
 * later checkpoints' work, the tokens spent on it), what stays, and what the
 * session does next, before `POST …/checkpoints/{seq}/restore`. A refusal
 * (409: the session moved meanwhile) shows in the dialog.
 */
export function RestoreDialog({
  session,
  seq,
  checkpoints,
  onClose,
}: {
  session: SessionView;
  seq: number;
  checkpoints: readonly CheckpointLike[];
  onClose: () => void;
}) {
  const qc = useQueryClient();
  const toast = useToast();
  const diff = useSessionDiff(session.id, session.workspace.path !== null);
  const restore = useMutation({
    mutationFn: () => getApi().call("restoreCheckpoint", { params: { id: session.id, seq }, body: {} }),
    onSuccess: (s) => {
      qc.setQueryData(qk.session(session.id), s);
      void qc.invalidateQueries({ queryKey: qk.session(session.id) });
      // The worktree moved: the diff is read again now, not after the room's debounce.
      void qc.invalidateQueries({ queryKey: qk.sessionDiff(session.id), exact: true });
      toast.ok(`Restored to checkpoint #${seq}`);
      onClose();
    },
  });
  const plan = computeRewindPlan(checkpoints, { kind: "checkpoint", seq }, diff.data?.stat ?? null);
  const cp = checkpoints.find((c) => c.seq === seq);
  // The server rewinds OpenCode only within the attempt that wrote the checkpoint (restoreCheckpoint).
  const conversation =
    cp && cp.attempt === session.attempt
      ? "The agent's conversation is rewound to just after this checkpoint's step."
      : `This checkpoint is from attempt ${cp?.attempt ?? "?"}: the conversation of attempt ${session.attempt} is not rewound; the next attempt starts a new one.`;
  const next =
    session.status === "paused"
      ? "The session stays paused; Resume continues from here."
      : "The session goes back to pending and runs again from here (a new attempt).";
  return (
    <ConfirmDialog
      open
      title={`Restore checkpoint #${seq}`}
      confirm="Restore"
      busy={restore.isPending}
      error={restore.error}
      onConfirm={() => restore.mutate()}
      onClose={onClose}
    >
      <RewindSummary
        plan={plan}
        to={`checkpoint #${seq}`}
        then={
          <>
            <li>{conversation}</li>
            <li>{next}</li>
          </>
        }
      />
    </ConfirmDialog>
  );
}
