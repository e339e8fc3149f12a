"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { getApi } from "@/lib/api";
import { formatAgo, formatCost, formatDuration, formatPercent, formatTime, shortId } from "@/lib/format";
import { POLL_MS, qk, useAccess, useRunners } from "@/lib/queries";
import { toneOf } from "@/lib/status";
import { useNow } from "@/lib/use-now";
import { Badge, StatusBadge, StatusDot, TierBadge } from "@/components/ui/badge";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { ErrorPanel } from "@/components/ui/error-panel";
import { Gauge } from "@/components/ui/gauge";
import { PageHeader } from "@/components/ui/page-header";
import { Progress } from "@/components/ui/progress";
import { PageSkeleton, RowsSkeleton } from "@/components/ui/skeleton";
import { KeyValues } from "@/components/ui/stat";
import { Table, Td, Th, Tr } from "@/components/ui/table";
import { AgentActions } from "./agent-actions";
import { AgentCharts } from "./agent-charts";
import { useAgentRoom } from "../hooks/use-agent-room";
import { AgentPermissionsCard } from "./agent-permissions-card";
import { AgentSandboxCard } from "./agent-sandbox-card";

/** One agent: profile, load, permission rules, sandbox policy, stats over time, per-capability success, recent sessions, actions. */
export function AgentDetail({ id }: { id: string }) {
  const now = useNow(1000);
  // Drain, maintenance, edit and remove are the lead's.
  const manages = useAccess().can("patchAgent");
  const room = useAgentRoom(id);
  const agent = useQuery({
    queryKey: qk.agent(id),
    queryFn: () => getApi().call("getAgent", { params: { id } }),
    refetchInterval: room === "open" ? false : POLL_MS.normal,
  });
  const perf = useQuery({
    queryKey: qk.agentPerformance(id),
    queryFn: () => getApi().call("agentPerformance", { params: { id } }),
    refetchInterval: room === "open" ? false : POLL_MS.slow,
  });
  const runners = useRunners();
  if (agent.isPending) return <PageSkeleton />;
  if (agent.isError && !agent.data)
    return <ErrorPanel title="Could not load the agent" error={agent.error} onRetry={() => agent.refetch()} />;
  const a = agent.data;
  const runner = a.runnerId ? runners.data?.items.find((r) => r.id === a.runnerId) : null;
  const status = a.maintenance ? "maintenance" : a.status;
  return (
    <div className="flex flex-col gap-5">
      <PageHeader
        eyebrow={
          <Link href="/agents" className="hover:text-fg">
            ← Agents / {shortId(a.id)}
          </Link>
        }
        title={
          <span className="flex items-center gap-3">
            <StatusDot status={status === "active" && a.running ? "running" : status} />
            {a.name}
          </span>
        }
        description={a.maintenanceReason ?? `${a.type} · OpenCode agent ${a.openCodeAgent}`}
        actions={manages ? <AgentActions agent={a} /> : null}
      />
      <Card>
        <CardBody className="flex flex-col gap-4">
          <KeyValues
            items={[
              { label: "Status", value: <StatusBadge status={status} /> },
              { label: "Tier", value: <TierBadge tier={a.tier} /> },
              {
                label: "Breaker",
                value: <Badge tone={toneOf(a.breaker.state)}>{a.breaker.state.replace("_", " ")}</Badge>,
              },
              { label: "Heartbeat", value: formatAgo(a.lastHeartbeatAt, now) },
              { label: "Runner", value: a.runnerId ? (runner?.name ?? shortId(a.runnerId)) : "managed" },
              { label: "Model", value: a.model ?? "default" },
              { label: "Fallbacks", value: a.fallbackModels.length ? a.fallbackModels.join(", ") : "none" },
              { label: "Questions", value: a.allowQuestions ? "asks a person" : "denied" },
              {
                label: "Input timeout",
                value: a.inputTimeoutSeconds === 0 ? "waits forever" : formatDuration(a.inputTimeoutSeconds),
              },
              { label: "Success", value: a.stats.finished ? formatPercent(a.stats.successRate) : "—" },
              { label: "Finished", value: `${a.stats.succeeded} ok / ${a.stats.failed} failed` },
              { label: "Avg duration", value: formatDuration(a.stats.avgDurationSeconds) },
              { label: "Avg cost", value: formatCost(a.stats.avgCostUsd) },
              { label: "Temperature", value: a.temperature ?? "default" },
              { label: "Created", value: formatTime(a.createdAt) },
            ]}
          />
          <Gauge
            label="Load"
            value={a.running}
            max={a.maxConcurrent}
            display={`${a.running} / ${a.maxConcurrent} running`}
            tone="running"
          />
        </CardBody>
      </Card>
      <AgentPermissionsCard permissions={a.permissions} />
      <AgentSandboxCard sandbox={a.sandbox} />
      <div className="grid grid-cols-1 gap-5 lg:grid-cols-2">
        <Card>
          <CardHeader title="Stats over time · recent attempts" />
          <CardBody>
            {perf.isError && !perf.data ? (
              <ErrorPanel error={perf.error} onRetry={() => perf.refetch()} />
            ) : !perf.data ? (
              <RowsSkeleton rows={3} />
            ) : (
              <AgentCharts recent={perf.data.recentSessions} />
            )}
          </CardBody>
        </Card>
        <Card>
          <CardHeader title="Success per capability" />
          <CardBody>
            {!perf.data ? (
              <RowsSkeleton rows={3} />
            ) : (
              <ul className="flex flex-col gap-3">
                {a.capabilities.map((c) => {
                  const row = perf.data.perCapability.find((p) => p.capability === c);
                  return (
                    <li key={c} className="grid grid-cols-[10rem_1fr_5rem] items-center gap-3 text-sm">
                      <span className="truncate text-muted">{c.replace(/_/g, " ")}</span>
                      <Progress
                        label={`${c} success`}
                        value={row?.finished ? row.successRate * 100 : 0}
                        tone={row?.finished ? "running" : "neutral"}
                      />
                      <span className="num text-right text-xs">
                        {row?.finished ? `${formatPercent(row.successRate)} of ${row.finished}` : "no runs"}
                      </span>
                    </li>
                  );
                })}
              </ul>
            )}
          </CardBody>
        </Card>
      </div>
      <Card>
        <CardHeader title="Recent sessions" />
        {!perf.data ? (
          <RowsSkeleton className="p-4" rows={3} />
        ) : perf.data.recentSessions.length === 0 ? (
          <p className="p-4 text-sm text-muted">This agent has run nothing yet. Sessions routed to it appear here.</p>
        ) : (
          <Table>
            <thead>
              <tr>
                <Th>Session</Th>
                <Th>Status</Th>
                <Th className="text-right">Attempt</Th>
                <Th className="text-right">Duration</Th>
                <Th className="text-right">Cost</Th>
                <Th>Started</Th>
                <Th>Error</Th>
              </tr>
            </thead>
            <tbody>
              {perf.data.recentSessions.map((r) => (
                <Tr key={`${r.sessionId}-${r.attempt}`}>
                  <Td className="max-w-[18rem] truncate">
                    <Link href={`/sessions/${r.sessionId}`} className="hover:text-accent-strong hover:underline">
                      {r.title}
                    </Link>
                  </Td>
                  <Td>
                    <StatusBadge status={r.status} />
                  </Td>
                  <Td className="num text-right">{r.attempt}</Td>
                  <Td className="num text-right">
                    {r.durationSeconds === null ? "—" : formatDuration(r.durationSeconds)}
                  </Td>
                  <Td className="num text-right">{formatCost(r.costUsd)}</Td>
                  <Td className="num text-muted">{formatTime(r.startedAt)}</Td>
                  <Td className="max-w-[16rem] truncate text-xs text-st-failed">{r.error ?? ""}</Td>
                </Tr>
              ))}
            </tbody>
          </Table>
        )}
      </Card>
    </div>
  );
}
