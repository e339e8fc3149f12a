"use client";

import type { SessionView } from "@industrial/contracts";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useId, useState, type ReactNode } from "react";
import { getApi } from "@/lib/api";
import { formatClock } from "@/lib/format";
import { qk } from "@/lib/queries";
import { ChoiceInput } from "@/components/ui/choice";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Select } from "@/components/ui/input";
import { useToast } from "@/components/ui/toast";
import { useCheckpoints, useSessionDiff } from "../hooks/use-rewind-data";
import { computeRewindPlan, retryBodyOf, type RewindTarget } from "../lib/rewind-plan";
import { RewindSummary } from "./rewind-summary";

type Kind = RewindTarget["kind"];

/**
 * Retry with a choice of where to start (`POST …/retry`): where it stopped
 * (`{}`: the worktree as it is, the latest checkpoint and anything after
 * it), a chosen checkpoint (`{ fromCheckpoint }`: the worktree reset to it)
 * or fresh (`{ fresh: true }`: reset to the base commit). The summary under
 * the choice says what that choice throws away.
 */
export function RetryDialog({ session, onClose }: { session: SessionView; onClose: () => void }) {
  const qc = useQueryClient();
  const toast = useToast();
  const id = useId();
  const checkpoints = useCheckpoints(session.id);
  const diff = useSessionDiff(session.id, session.workspace.path !== null);
  const items = checkpoints.data?.items ?? [];
  const latest = items.at(-1);
  const [kind, setKind] = useState<Kind>("latest");
  const [chosen, setChosen] = useState<number | null>(null);
  // The chosen checkpoint defaults to the latest once the chain is read.
  const seq = chosen ?? latest?.seq ?? null;
  const target: RewindTarget =
    kind === "checkpoint" && seq !== null ? { kind, seq } : kind === "fresh" ? { kind } : { kind: "latest" };
  const retry = useMutation({
    mutationFn: () => getApi().call("retrySession", { params: { id: session.id }, body: retryBodyOf(target) }),
    onSuccess: (s) => {
      qc.setQueryData(qk.session(s.id), s);
      void qc.invalidateQueries({ queryKey: ["sessions"] });
      void qc.invalidateQueries({ queryKey: qk.sessionDiff(s.id), exact: true });
      toast.ok(`Retry: ${s.status}`);
      onClose();
    },
  });
  const plan = computeRewindPlan(items, target, diff.data?.stat ?? null);
  const option = (k: Kind, title: string, detail: ReactNode, disabled = false, below?: ReactNode) => (
    <li className="flex flex-col gap-1.5">
      <label htmlFor={`${id}-${k}`} className="flex cursor-pointer items-start gap-2.5 text-sm">
        <ChoiceInput
          id={`${id}-${k}`}
          type="radio"
          name={`${id}-from`}
          value={k}
          checked={kind === k}
          disabled={disabled}
          onChange={() => setKind(k)}
        />
        <span className="min-w-0">
          <span className="text-fg">{title}</span>
          <span className="block text-xs text-muted">{detail}</span>
        </span>
      </label>
      {below}
    </li>
  );
  // Under its own choice, shown once that choice is made.
  const picker =
    kind === "checkpoint" && items.length ? (
      <div className="pl-6.5">
        <Select aria-label="Checkpoint" value={seq ?? ""} onChange={(e) => setChosen(Number(e.target.value))}>
          {items.map((c) => (
            <option key={c.seq} value={c.seq}>
              #{c.seq} · {c.trigger.replace(/_/g, " ")} · {formatClock(c.createdAt)} · {c.diffStat.files} files
            </option>
          ))}
        </Select>
      </div>
    ) : null;
  return (
    <ConfirmDialog
      open
      opensOn="confirm"
      title="Retry session"
      confirm="Retry"
      busy={retry.isPending}
      error={retry.error}
      onConfirm={() => retry.mutate()}
      onClose={onClose}
    >
      <fieldset data-slot="retry-from" className="flex min-w-0 flex-col gap-2 border-2 border-line p-3">
        <legend className="label px-1 text-fg">Start from</legend>
        <ul className="flex flex-col gap-2">
          {option(
            "latest",
            "Where it stopped",
            latest
              ? `Latest checkpoint #${latest.seq} and the worktree as it is now.`
              : "No checkpoint yet: the worktree as it is now.",
          )}
          {option(
            "checkpoint",
            "A chosen checkpoint",
            items.length ? "The worktree reset to that checkpoint's commit." : "No checkpoint to choose yet.",
            items.length === 0,
            picker,
          )}
          {option("fresh", "Fresh", "The worktree reset to the base commit: the session starts over.")}
        </ul>
      </fieldset>
      <RewindSummary
        plan={plan}
        to={target.kind === "checkpoint" ? `checkpoint #${target.seq}` : "the base commit"}
        then={<li>A new attempt (#{session.attempt + 1}) starts, with a new conversation.</li>}
      />
    </ConfirmDialog>
  );
}
