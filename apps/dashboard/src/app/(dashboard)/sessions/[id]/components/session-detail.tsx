"use client";

import type { SessionEvent } from "@industrial/core";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useCallback, useEffect, useState } from "react";
import { getApi } from "@/lib/api";
import type { SocketState } from "@/lib/live-socket";
import { elapsedSeconds, formatDuration, formatPercent, formatTime, shortId } from "@/lib/format";
import { useStaleBatcher } from "@/lib/live-room";
import { POLL_MS, qk, useAccess, useAgents } from "@/lib/queries";
import { createStaleBatcher } from "@/lib/stale-batcher";
import { isSessionMoving } from "@/lib/status";
import { useNow } from "@/lib/use-now";
import { PriorityBadge, StatusBadge } from "@/components/ui/badge";
import { Card, CardBody } from "@/components/ui/card";
import { ErrorPanel } from "@/components/ui/error-panel";
import { PageHeader } from "@/components/ui/page-header";
import { PageSkeleton } from "@/components/ui/skeleton";
import { KeyValues } from "@/components/ui/stat";
import { RequestCard } from "../../../inbox/components/request-card";
import { computeSessionStale, DIFF_STALE } from "../../lib/session-stale";
import { CheckpointTimeline } from "./checkpoint-timeline";
import { DiffView } from "./diff-view";
import { FollowUp } from "./follow-up";
import { Relations } from "./relations";
import { SessionControls } from "./session-controls";
import { Telemetry } from "./telemetry";
import { LiveTerminal } from "./live-terminal";

/**
 * The Glass Box: one session, live. Its own room (`/ws/sessions/{id}`, the
 * terminal's stream) is the only socket that carries its log; the events it
 * brings mark the page's queries stale, batched (lib/live-room.ts), the diff
 * on a slower debounce of its own. The row is polled only while that socket
 * is not open.
 */
export function SessionDetail({ id }: { id: string }) {
  const qc = useQueryClient();
  const now = useNow(1000);
  const stale = useStaleBatcher();
  const [diffStale] = useState(() =>
    createStaleBatcher({
      ...DIFF_STALE,
      invalidate: (t) => void qc.invalidateQueries({ queryKey: t.queryKey, exact: true }),
    }),
  );
  useEffect(() => () => diffStale.cancel(), [diffStale]);
  const onEvents = useCallback(
    (events: SessionEvent[]) => {
      const { targets, diff } = computeSessionStale(
        id,
        events.map((e) => e.type),
      );
      stale.mark(targets);
      if (diff) diffStale.mark([{ queryKey: qk.sessionDiff(id), exact: true }]);
    },
    [stale, diffStale, id],
  );
  const [stream, setStream] = useState<SocketState>("connecting");
  const session = useQuery({
    queryKey: qk.session(id),
    queryFn: () => getApi().call("getSession", { params: { id } }),
    refetchInterval: (q) =>
      stream === "open" ? false : q.state.data && !isSessionMoving(q.state.data.status) ? POLL_MS.slow : POLL_MS.fast,
  });
  const agents = useAgents();
  const access = useAccess();

  if (session.isPending) return <PageSkeleton />;
  if (session.isError && !session.data)
    return <ErrorPanel title="Could not load the session" error={session.error} onRetry={() => session.refetch()} />;
  const s = session.data;
  const agentName = s.agentId ? (agents.data?.items.find((a) => a.id === s.agentId)?.name ?? shortId(s.agentId)) : null;
  const elapsed = elapsedSeconds(s.startedAt, s.finishedAt, now);

  return (
    <div className="flex flex-col gap-5">
      <PageHeader
        eyebrow={
          <Link href="/sessions" className="hover:text-fg">
            ← Sessions / {shortId(s.id)}
          </Link>
        }
        title={s.title}
        description={s.statusReason ?? undefined}
        actions={<SessionControls session={s} />}
      />
      <Card>
        <CardBody>
          <KeyValues
            items={[
              { label: "Status", value: <StatusBadge status={s.status} /> },
              {
                label: "Agent",
                value: s.agentId ? (
                  <Link href={`/agents/${s.agentId}`} className="text-accent-strong hover:underline">
                    {agentName}
                  </Link>
                ) : (
                  "not routed yet"
                ),
              },
              { label: "Priority", value: <PriorityBadge priority={s.priority} /> },
              { label: "Attempt", value: `${s.attempt} / ${s.retry.maxAttempts}` },
              {
                label: "Elapsed / limit",
                value: `${elapsed === null ? "—" : formatDuration(elapsed)} / ${formatDuration(s.maxDurationSeconds)}`,
              },
              {
                label: "Health",
                value: (
                  <span
                    className={
                      s.healthScore < 0.5
                        ? "text-st-failed"
                        : s.healthScore < 0.8
                          ? "text-st-degraded"
                          : "text-st-running"
                    }
                  >
                    {formatPercent(s.healthScore)}
                  </span>
                ),
              },
              { label: "Type", value: s.type },
              { label: "Model", value: s.model ?? "default" },
              { label: "Created", value: formatTime(s.createdAt) },
              {
                label: "Workspace",
                value: (
                  <span title={s.workspace.path ?? undefined}>
                    {s.workspace.branch ?? s.workspace.directory ?? "—"}
                  </span>
                ),
              },
              { label: "Events", value: s.lastEventSeq },
              { label: "Requested", value: s.requestedAction ?? "—" },
            ]}
          />
          {s.error ? (
            <p role="alert" className="mt-4 border-2 border-st-failed px-3 py-2 text-sm text-st-failed">
              ✗ {s.error.code}: {s.error.message}
            </p>
          ) : null}
          {s.result ? (
            <p className="mt-4 border-2 border-st-completed px-3 py-2 text-sm text-fg">✓ {s.result.summary}</p>
          ) : null}
        </CardBody>
      </Card>

      <div className="grid grid-cols-1 gap-5 xl:grid-cols-[minmax(0,2fr)_minmax(20rem,1fr)]">
        <div className="flex min-w-0 flex-col gap-5">
          {/* What the agent waits for, above the terminal: answered here as on the Inbox page. */}
          {s.pendingInput.map((item) => (
            <RequestCard
              key={item.id}
              item={item}
              agentName={agentName ?? undefined}
              canAnswer={access.canControl(s.createdBy)}
              now={now}
              showSession={false}
            />
          ))}
          <LiveTerminal id={id} onEvents={onEvents} onStream={setStream} />
          <DiffView sessionId={id} hasWorkspace={s.workspace.path !== null} />
          <FollowUp session={s} />
        </div>
        <div className="flex min-w-0 flex-col gap-5">
          <Telemetry session={s} now={now} />
          <CheckpointTimeline session={s} />
          <Relations session={s} />
        </div>
      </div>
    </div>
  );
}
