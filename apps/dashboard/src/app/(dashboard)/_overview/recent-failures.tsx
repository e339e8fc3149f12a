"use client";

import Link from "next/link";
import { formatTime } from "@/lib/format";
import { POLL_MS, useSessions } from "@/lib/queries";
import { StatusBadge } from "@/components/ui/badge";
import { Card, CardHeader } from "@/components/ui/card";
import { QueryState } from "@/components/ui/query-state";
import { RowsSkeleton } from "@/components/ui/skeleton";

/** The latest failed and timed-out sessions with their reasons. */
export function RecentFailures() {
  const q = useSessions(
    { status: ["failed", "timeout", "orphaned"], sort: "-statusUpdatedAt", limit: 8 },
    { poll: POLL_MS.normal },
  );
  return (
    <Card>
      <CardHeader
        title="Recent failures"
        actions={
          <Link href="/sessions?status=failed,timeout,orphaned" className="label text-accent-strong hover:underline">
            All failures →
          </Link>
        }
      />
      <QueryState
        query={q}
        loading={<RowsSkeleton className="p-4" rows={3} />}
        isEmpty={(data) => data.items.length === 0}
        empty={
          <p className="p-4 text-sm text-muted">
            No failures. Failed, timed-out and orphaned sessions appear here with their reasons.
          </p>
        }
        inset
      >
        {(data) => (
          <ul className="divide-y divide-line">
            {data.items.map((s) => (
              <li key={s.id} className="flex flex-col gap-1 px-4 py-3 sm:flex-row sm:items-center sm:gap-4">
                <StatusBadge status={s.status} className="self-start sm:self-center" />
                <Link
                  href={`/sessions/${s.id}`}
                  className="min-w-0 truncate text-sm text-fg hover:text-accent-strong hover:underline sm:w-64"
                >
                  {s.title}
                </Link>
                <span className="min-w-0 flex-1 truncate text-xs text-muted">
                  {s.error ? `${s.error.code}: ${s.error.message}` : (s.statusReason ?? "—")}
                </span>
                <span className="num text-xs text-subtle">{formatTime(s.finishedAt ?? s.statusUpdatedAt)}</span>
              </li>
            ))}
          </ul>
        )}
      </QueryState>
    </Card>
  );
}
