"use client";

import Link from "next/link";
import { elapsedSeconds, formatCount, formatDuration } from "@/lib/format";
import { POLL_MS, useAccess, useSessions } from "@/lib/queries";
import { PriorityBadge, StatusBadge } from "@/components/ui/badge";
import { Card, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { QueryState } from "@/components/ui/query-state";
import { RowsSkeleton } from "@/components/ui/skeleton";
import { Table, Td, Th, Tr } from "@/components/ui/table";

/** Sessions running now (and paused ones), with their live token counts. */
export function ActiveSessionsTable({ agentNames, now }: { agentNames: Map<string, string>; now: number }) {
  const q = useSessions(
    { status: ["running", "degraded", "paused"], sort: "-statusUpdatedAt", limit: 50 },
    { poll: POLL_MS.fast },
  );
  const canCreate = useAccess().can("createSession");
  return (
    <Card>
      <CardHeader
        title="Active sessions"
        actions={
          <Link href="/sessions?status=running,degraded,paused" className="label text-accent-strong hover:underline">
            Sessions →
          </Link>
        }
      />
      <QueryState
        query={q}
        loading={<RowsSkeleton className="p-4" rows={3} />}
        isEmpty={(data) => data.items.length === 0}
        empty={
          <div className="p-4">
            <EmptyState
              title="Nothing running"
              hint={
                canCreate
                  ? "No session is running right now. Start one from the Sessions page, or run `orchestrator submit` from the CLI."
                  : "No session is running right now; they appear here as they start."
              }
              action={
                canCreate ? (
                  <Link href="/sessions?new=1" className="label text-accent-strong hover:underline">
                    New session →
                  </Link>
                ) : undefined
              }
            />
          </div>
        }
        inset
      >
        {(data) => (
          <Table>
            <thead>
              <tr>
                <Th>Title</Th>
                <Th>Status</Th>
                <Th>Agent</Th>
                <Th>Priority</Th>
                <Th className="text-right">Elapsed</Th>
                <Th className="text-right">Tokens</Th>
              </tr>
            </thead>
            <tbody>
              {data.items.map((s) => {
                const t = s.metrics.tokens;
                const el = elapsedSeconds(s.startedAt, s.finishedAt, now);
                return (
                  <Tr key={s.id}>
                    <Td className="max-w-[24rem] truncate">
                      <Link href={`/sessions/${s.id}`} className="text-fg hover:text-accent-strong hover:underline">
                        {s.title}
                      </Link>
                    </Td>
                    <Td>
                      <StatusBadge status={s.status} />
                    </Td>
                    <Td className="text-muted">
                      {s.agentId ? (
                        <Link href={`/agents/${s.agentId}`} className="hover:text-fg hover:underline">
                          {agentNames.get(s.agentId) ?? s.agentId.slice(0, 8)}
                        </Link>
                      ) : (
                        "—"
                      )}
                    </Td>
                    <Td>
                      <PriorityBadge priority={s.priority} />
                    </Td>
                    <Td className="num text-right">{el === null ? "—" : formatDuration(el)}</Td>
                    <Td className="num text-right">{formatCount(t.input + t.output + t.reasoning)}</Td>
                  </Tr>
                );
              })}
            </tbody>
          </Table>
        )}
      </QueryState>
    </Card>
  );
}
