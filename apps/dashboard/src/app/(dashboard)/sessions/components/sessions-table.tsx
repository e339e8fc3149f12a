"use client";

import type { SessionView } from "@industrial/contracts";
import Link from "next/link";
import { elapsedSeconds, formatAgo, formatCount, formatDuration, formatTime } from "@/lib/format";
import { PriorityBadge, StatusBadge } from "@/components/ui/badge";
import { Table, Td, Th, Tr } from "@/components/ui/table";
import { nextSort, type SessionSort } from "../lib/filters";

function SortHeader({
  label,
  column,
  sort,
  onSort,
}: {
  label: string;
  column: "createdAt" | "statusUpdatedAt";
  sort: SessionSort;
  onSort: (s: SessionSort) => void;
}) {
  const dir = sort === column ? "ascending" : sort === `-${column}` ? "descending" : "none";
  return (
    <Th aria-sort={dir} className="text-right">
      <button
        type="button"
        className="label inline-flex items-center gap-1 text-muted hover:text-fg"
        onClick={() => onSort(nextSort(sort, column))}
      >
        {label}
        <span aria-hidden className={dir === "none" ? "text-subtle" : "text-accent-strong"}>
          {dir === "ascending" ? "▲" : dir === "descending" ? "▼" : "↕"}
        </span>
      </button>
    </Th>
  );
}

export function SessionsTable({
  sessions,
  agentNames,
  now,
  sort,
  onSort,
  selected,
  onSelect,
  selectable,
}: {
  sessions: SessionView[];
  agentNames: Map<string, string>;
  now: number;
  sort: SessionSort;
  onSort: (s: SessionSort) => void;
  selected: Set<string>;
  onSelect: (ids: Set<string>) => void;
  /** Whether the row checkboxes (for bulk stop/retry) are there: not for a role that controls nothing. */
  selectable: boolean;
}) {
  const all = sessions.length > 0 && sessions.every((s) => selected.has(s.id));
  return (
    <div className="border-2 border-line bg-panel shadow-hard">
      <Table>
        <thead>
          <tr>
            {selectable ? (
              <Th className="w-10">
                <input
                  type="checkbox"
                  aria-label="Select all on this page"
                  className="h-4 w-4 accent-[var(--color-accent)]"
                  checked={all}
                  onChange={() => onSelect(all ? new Set() : new Set(sessions.map((s) => s.id)))}
                />
              </Th>
            ) : null}
            <Th>Title</Th>
            <Th>Status</Th>
            <Th>Priority</Th>
            <Th>Type</Th>
            <Th>Agent</Th>
            <Th className="text-right">Attempt</Th>
            <Th className="text-right">Elapsed</Th>
            <Th className="text-right">Tokens</Th>
            <SortHeader label="Created" column="createdAt" sort={sort} onSort={onSort} />
            <SortHeader label="Updated" column="statusUpdatedAt" sort={sort} onSort={onSort} />
          </tr>
        </thead>
        <tbody>
          {sessions.map((s) => {
            const el = elapsedSeconds(s.startedAt, s.finishedAt, now);
            const t = s.metrics.tokens;
            return (
              <Tr key={s.id} data-session-id={s.id}>
                {selectable ? (
                  <Td>
                    <input
                      type="checkbox"
                      aria-label={`Select ${s.title}`}
                      className="h-4 w-4 accent-[var(--color-accent)]"
                      checked={selected.has(s.id)}
                      onChange={() => {
                        const next = new Set(selected);
                        if (next.has(s.id)) next.delete(s.id);
                        else next.add(s.id);
                        onSelect(next);
                      }}
                    />
                  </Td>
                ) : null}
                <Td className="max-w-[22rem]">
                  <Link
                    href={`/sessions/${s.id}`}
                    className="block truncate text-fg hover:text-accent-strong hover:underline"
                  >
                    {s.title}
                  </Link>
                </Td>
                <Td>
                  <StatusBadge status={s.status} />
                </Td>
                <Td>
                  <PriorityBadge priority={s.priority} />
                </Td>
                <Td className="text-muted">{s.type}</Td>
                <Td className="max-w-[10rem] truncate text-muted">
                  {s.agentId ? (
                    <Link href={`/agents/${s.agentId}`} className="hover:text-fg hover:underline">
                      {agentNames.get(s.agentId) ?? s.agentId.slice(0, 8)}
                    </Link>
                  ) : (
                    "—"
                  )}
                </Td>
                <Td className="num text-right">
                  {s.attempt}/{s.retry.maxAttempts}
                </Td>
                <Td className="num text-right">{el === null ? "—" : formatDuration(el)}</Td>
                <Td className="num text-right">{formatCount(t.input + t.output + t.reasoning)}</Td>
                <Td className="num text-right text-muted" title={formatTime(s.createdAt)}>
                  {formatAgo(s.createdAt, now)}
                </Td>
                <Td className="num text-right text-muted" title={formatTime(s.statusUpdatedAt)}>
                  {formatAgo(s.statusUpdatedAt, now)}
                </Td>
              </Tr>
            );
          })}
        </tbody>
      </Table>
    </div>
  );
}
