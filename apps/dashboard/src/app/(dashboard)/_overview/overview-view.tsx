"use client";

import Link from "next/link";
import { useMemo } from "react";
import { formatCost, formatCount, formatDuration } from "@/lib/format";
import { useAgentStats, useAgents, useRunners, useSessionStats } from "@/lib/queries";
import { useNow } from "@/lib/use-now";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { ErrorPanel } from "@/components/ui/error-panel";
import { PageHeader } from "@/components/ui/page-header";
import { PageSkeleton, RowsSkeleton } from "@/components/ui/skeleton";
import { Stat } from "@/components/ui/stat";
import { StatusDot } from "@/components/ui/badge";
import { ActiveSessionsTable } from "./active-sessions";
import { useSessionTimeline } from "./hooks/use-session-timeline";
import { computeOverviewWindow, computeThroughputSeries, computeToday, finishedIn } from "./lib/overview-timeline";
import { RecentFailures } from "./recent-failures";
import { ThroughputChart } from "./throughput-chart";

/** The fleet at a glance: counts, queue, throughput, spend, agents, runners, active sessions, failures. */
export function OverviewView() {
  const now = useNow(1000);
  const stats = useSessionStats();
  const agents = useAgentStats();
  const runners = useRunners();
  const agentList = useAgents();
  // Throughput and today's figures come from the server's timeline (docs/session-timeline.md), not from a page of sessions.
  const range = computeOverviewWindow(now);
  const timeline = useSessionTimeline(range);
  const buckets = timeline.data?.buckets;
  const series = useMemo(() => (buckets ? computeThroughputSeries(buckets) : null), [buckets]);

  if (stats.isPending) return <PageSkeleton />;
  if (stats.isError && !stats.data)
    return <ErrorPanel title="Could not load the overview" error={stats.error} onRetry={() => stats.refetch()} />;

  const s = stats.data;
  const by = (k: string) => s.byStatus[k] ?? 0;
  const lastHour = buckets?.length ? finishedIn(buckets[buckets.length - 1]!) : 0;
  const today = buckets ? computeToday(buckets, range.startOfToday) : null;
  const agentNames = new Map((agentList.data?.items ?? []).map((a) => [a.id, a.name]));

  return (
    <div className="flex flex-col gap-6">
      <PageHeader title="Overview" description="The fleet now: what runs, what waits, what failed." />

      <section aria-label="Session counts" className="grid grid-cols-2 gap-4 lg:grid-cols-4">
        <Stat
          label="Running"
          tone="running"
          value={by("running") + by("degraded")}
          sub={by("degraded") ? `${by("degraded")} degraded` : "live"}
        />
        <Stat
          label="Queued + pending"
          tone="queued"
          value={by("queued") + by("pending")}
          sub={`${by("paused")} paused`}
        />
        <Stat
          label="Completed"
          tone="completed"
          value={by("completed") + by("partially_completed")}
          sub={`${by("partially_completed")} partial`}
        />
        <Stat
          label="Failed"
          tone="failed"
          value={by("failed")}
          sub={`${by("timeout")} timeout · ${by("orphaned")} orphaned`}
        />
      </section>

      <section className="grid grid-cols-1 gap-4 lg:grid-cols-3">
        <Card>
          <CardHeader title="Queue" />
          <CardBody className="flex flex-col gap-2">
            <p className="num text-3xl font-bold">{s.queueDepth}</p>
            <p className="text-xs text-muted">
              wait p50 {s.queueWaitSeconds.p50 === null ? "—" : formatDuration(s.queueWaitSeconds.p50)} · p95{" "}
              {s.queueWaitSeconds.p95 === null ? "—" : formatDuration(s.queueWaitSeconds.p95)}
            </p>
            <p className="text-xs text-muted">
              run p50 {s.runSeconds.p50 === null ? "—" : formatDuration(s.runSeconds.p50)} · p95{" "}
              {s.runSeconds.p95 === null ? "—" : formatDuration(s.runSeconds.p95)}
            </p>
          </CardBody>
        </Card>
        <Card>
          <CardHeader
            title="Throughput · finished / hour"
            actions={<span className="num text-xs text-muted">{lastHour} this hour</span>}
          />
          <CardBody>
            {timeline.isError && !buckets ? (
              <ErrorPanel error={timeline.error} onRetry={() => timeline.refetch()} />
            ) : !series ? (
              <RowsSkeleton rows={2} />
            ) : (
              <ThroughputChart
                data={series}
                label={`Sessions finished per hour over 24 hours (UTC), unsuccessful ones in red; ${lastHour} this hour, ${today?.finished ?? 0} today`}
              />
            )}
            <p className="mt-2 flex justify-between text-[11px] text-subtle">
              <span>
                <span className="inline-block size-2 bg-accent" aria-hidden /> finished ·{" "}
                <span className="inline-block size-2 bg-st-failed" aria-hidden /> unsuccessful
              </span>
              <span>UTC</span>
            </p>
          </CardBody>
        </Card>
        <Card>
          <CardHeader title="Today (UTC)" />
          <CardBody className="flex flex-col gap-2">
            {timeline.isError && !today ? (
              <ErrorPanel error={timeline.error} onRetry={() => timeline.refetch()} />
            ) : !today ? (
              <RowsSkeleton rows={2} />
            ) : (
              <>
                <p className="num text-3xl font-bold" data-slot="tokens-today">
                  {formatCount(today.tokens)} <span className="text-base text-muted">tok</span>
                </p>
                <p className="num text-sm text-fg" data-slot="cost-today">
                  {formatCost(today.costUsd)} spent · <span data-slot="finished-today">{today.finished}</span> finished
                </p>
              </>
            )}
            <p className="text-xs text-muted">
              all time {formatCount(s.tokens.input + s.tokens.output + s.tokens.reasoning)} tok ·{" "}
              {formatCost(s.costUsd)}
            </p>
          </CardBody>
        </Card>
      </section>

      <section className="grid grid-cols-1 gap-4 lg:grid-cols-2">
        <Card>
          <CardHeader
            title="Agents"
            actions={
              <Link href="/agents" className="label text-accent-strong hover:underline">
                All agents →
              </Link>
            }
          />
          <CardBody>
            {agents.isError && !agents.data ? (
              <ErrorPanel error={agents.error} onRetry={() => agents.refetch()} />
            ) : !agents.data ? (
              <RowsSkeleton rows={2} />
            ) : (
              <div className="grid grid-cols-3 gap-4">
                <div>
                  <p className="label text-subtle">Total</p>
                  <p className="num text-2xl font-bold">{agents.data.total}</p>
                </div>
                <div>
                  <p className="label text-subtle">Active</p>
                  <p className="num text-2xl font-bold text-st-running">{agents.data.byStatus.active ?? 0}</p>
                </div>
                <div>
                  <p className="label text-subtle">Breaker open</p>
                  <p className={`num text-2xl font-bold ${agents.data.breakersOpen ? "text-st-failed" : "text-fg"}`}>
                    {agents.data.breakersOpen}
                  </p>
                </div>
                <p className="col-span-3 text-xs text-muted">
                  {agents.data.running} running of {agents.data.capacity} slots · {agents.data.available} available ·{" "}
                  {agents.data.inMaintenance} in maintenance
                </p>
              </div>
            )}
          </CardBody>
        </Card>
        <Card>
          <CardHeader
            title="Runner health"
            actions={
              <Link href="/runners" className="label text-accent-strong hover:underline">
                Runners →
              </Link>
            }
          />
          <CardBody>
            {runners.isError && !runners.data ? (
              <ErrorPanel error={runners.error} onRetry={() => runners.refetch()} />
            ) : !runners.data ? (
              <RowsSkeleton rows={2} />
            ) : runners.data.items.length === 0 ? (
              <p className="text-sm text-muted">
                No runners registered. Managed runners start with the orchestrator; add remote ones on the Runners page.
              </p>
            ) : (
              <ul className="flex flex-col gap-2">
                {runners.data.items.map((r) => (
                  <li key={r.id} className="flex items-center gap-3 text-sm">
                    <StatusDot status={r.health} />
                    <span className="min-w-0 flex-1 truncate">{r.name}</span>
                    <span className="label text-muted">{r.health}</span>
                    <span className="num text-xs text-muted">{r.sessions} sess</span>
                  </li>
                ))}
              </ul>
            )}
          </CardBody>
        </Card>
      </section>

      <ActiveSessionsTable agentNames={agentNames} now={now} />
      <RecentFailures />
    </div>
  );
}
