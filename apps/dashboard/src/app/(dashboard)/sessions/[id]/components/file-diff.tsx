"use client";

import { useMemo, useState } from "react";
import { Decoration, Diff, Hunk, type ViewType } from "react-diff-view";
import { cn } from "@/lib/cn";
import { formatCount } from "@/lib/format";
import { computeDiffTokens } from "../lib/diff-highlight";
import { computeFilePlan, countHunkLines, type DiffFileWire } from "../lib/session-diff";

const STATUS_MARK: Record<DiffFileWire["status"], { mark: string; cls: string; word: string }> = {
  added: { mark: "A", cls: "text-st-running border-st-running", word: "added" },
  modified: { mark: "M", cls: "text-st-queued border-st-queued", word: "modified" },
  deleted: { mark: "D", cls: "text-st-failed border-st-failed", word: "deleted" },
  renamed: { mark: "R", cls: "text-st-completed border-st-completed", word: "renamed" },
};

/**
 * One changed file: a header that folds it (status, path, +/−) and, open,
 * its hunks drawn by react-diff-view, unified or split. A binary file is
 * named and says so; a large or cut file starts folded and says how many
 * lines opening it shows. Horizontal scroll stays inside the table's box
 * (`.diff-scroll` in globals.css), so a long line never widens the page.
 */
export function FileDiff({ file, index, viewType }: { file: DiffFileWire; index: number; viewType: ViewType }) {
  const plan = useMemo(() => computeFilePlan(file, index), [file, index]);
  const [open, setOpen] = useState(plan.openAtFirst);
  const s = STATUS_MARK[file.status];
  const bodyId = `diff-${index}`;
  return (
    <li data-slot="diff-file" data-path={file.path} data-binary={file.binary || undefined}>
      <button
        type="button"
        aria-expanded={plan.kind === "binary" ? undefined : open}
        aria-controls={plan.kind === "binary" ? undefined : bodyId}
        disabled={plan.kind === "binary"}
        onClick={() => setOpen((o) => !o)}
        className="flex w-full items-center gap-3 px-4 py-2 text-left text-sm enabled:hover:bg-raised"
      >
        <span className={cn("label border-2 px-1", s.cls)} title={s.word}>
          {s.mark}
        </span>
        <span className="min-w-0 flex-1 break-all">
          {file.oldPath ? <span className="text-muted">{file.oldPath} → </span> : null}
          {file.path}
        </span>
        {plan.kind === "binary" ? (
          <span className="label text-muted">binary</span>
        ) : (
          <>
            <span className="num text-xs text-st-running">+{file.additions}</span>
            <span className="num text-xs text-st-failed">−{file.deletions}</span>
            <span aria-hidden className="w-3 text-xs text-muted">
              {open ? "▾" : "▸"}
            </span>
          </>
        )}
      </button>
      {plan.kind === "binary" ? (
        <p className="border-t-2 border-line bg-bg px-4 py-2 text-xs text-muted">
          Binary file {s.word}: its contents are not shown.
        </p>
      ) : open ? (
        <div id={bodyId} className="border-t-2 border-line">
          {plan.truncated ? (
            <p className="px-4 py-2 text-xs text-st-degraded">
              Cut by the server at its patch limit: the rest of this file&apos;s changes are not shown.
            </p>
          ) : null}
          <FileHunks plan={plan} viewType={viewType} path={file.path} />
        </div>
      ) : plan.large ? (
        <p id={bodyId} className="border-t-2 border-line bg-bg px-4 py-2 text-xs text-muted">
          Large change ({formatCount(file.additions + file.deletions)} lines): folded.{" "}
          <button type="button" className="text-accent-strong underline" onClick={() => setOpen(true)}>
            Show {formatCount(countHunkLines(plan.hunks))} lines
          </button>
        </p>
      ) : null}
    </li>
  );
}

function FileHunks({
  plan,
  viewType,
  path,
}: {
  plan: Extract<ReturnType<typeof computeFilePlan>, { kind: "text" }>;
  viewType: ViewType;
  path: string;
}) {
  // Tokenized only once opened: a folded file costs no highlighting.
  const tokens = useMemo(() => computeDiffTokens(plan.hunks, plan.language), [plan]);
  if (plan.hunks.length === 0)
    return <p className="bg-bg px-4 py-2 text-xs text-muted">No line changes (a rename or a mode change).</p>;
  // Focusable, so a keyboard can scroll a wide line into view.
  return (
    <div className="diff-scroll" tabIndex={0} role="region" aria-label={`Changes to ${path}`}>
      <Diff viewType={viewType} diffType={plan.diffType} hunks={plan.hunks} tokens={tokens}>
        {(hunks) =>
          // Keyed by position as well: two hunk headers can read alike.
          hunks.flatMap((h, i) => [
            <Decoration key={`d-${i}-${h.content}`}>
              <span className="block px-3 text-accent-strong">{h.content}</span>
            </Decoration>,
            <Hunk key={`h-${i}-${h.content}`} hunk={h} />,
          ])
        }
      </Diff>
    </div>
  );
}
