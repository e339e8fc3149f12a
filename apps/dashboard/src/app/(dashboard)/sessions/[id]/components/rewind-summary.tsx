import type { ReactNode } from "react";
import { formatCost, formatCount } from "@/lib/format";
import type { DiffStat, RewindPlan } from "../lib/rewind-plan";

const stat = (s: DiffStat) => `${s.files} ${s.files === 1 ? "file" : "files"} +${s.additions} −${s.deletions}`;

/**
 * What a restore or a retry throws away and what it keeps, drawn from a
 * RewindPlan (lib/rewind-plan.ts). `to` names where the worktree goes
 * ("checkpoint #3", "the base commit"); `then` lists what happens next
 * (the conversation, the session's status), as `<li>`s.
 */
export function RewindSummary({ plan, to, then }: { plan: RewindPlan; to: string; then: ReactNode }) {
  return (
    <div data-slot="rewind-summary" className="flex flex-col gap-3 text-sm">
      {plan.resets && plan.worktree ? (
        <div>
          <p className="label text-st-failed">Thrown away</p>
          <ul className="mt-1 flex list-['–_'] flex-col gap-1 pl-4 text-fg">
            <li data-slot="discard-worktree">
              Every change in the worktree since {to}: it differs from the base in{" "}
              {plan.worktree.now ? (
                <strong>{stat(plan.worktree.now)}</strong>
              ) : (
                <span className="text-muted">(reading the diff…)</span>
              )}{" "}
              now
              {plan.worktree.after ? (
                <>
                  , and in <strong>{stat(plan.worktree.after)}</strong> after.
                </>
              ) : (
                <>; after, it is as it was at {to}.</>
              )}
            </li>
            {plan.later ? (
              <li data-slot="discard-later">
                The work of{" "}
                <strong>
                  {plan.later.count === 1
                    ? `checkpoint #${plan.later.first}`
                    : `${plan.later.count} checkpoints, #${plan.later.first}–#${plan.later.last}`}
                </strong>{" "}
                leaves the worktree.
              </li>
            ) : (
              <li data-slot="discard-later">No checkpoint comes after it: only changes not yet checkpointed go.</li>
            )}
            {plan.spentAfter.tokens > 0 || plan.spentAfter.costUsd > 0 ? (
              <li data-slot="discard-spend">
                {formatCount(plan.spentAfter.tokens)} tokens ({formatCost(plan.spentAfter.costUsd)}) went into that
                work.
              </li>
            ) : null}
          </ul>
        </div>
      ) : (
        <p data-slot="discard-nothing" className="text-fg">
          Nothing is thrown away: the worktree stays as it is.
        </p>
      )}
      <div>
        <p className="label text-muted">Kept</p>
        <ul className="mt-1 flex list-['–_'] flex-col gap-1 pl-4 text-muted">
          <li>Every checkpoint stays in the chain, its commit at its ref on the work remote where one is set.</li>
        </ul>
      </div>
      <div>
        <p className="label text-muted">Then</p>
        <ul className="mt-1 flex list-['–_'] flex-col gap-1 pl-4 text-fg">{then}</ul>
      </div>
    </div>
  );
}
