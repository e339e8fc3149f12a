"use client";

import type { SessionView } from "@industrial/contracts";
import { elapsedSeconds, formatCost, formatCount, formatDuration } from "@/lib/format";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { Gauge } from "@/components/ui/gauge";
import { Table, Td, Th, Tr } from "@/components/ui/table";

function Counter({ label, value, tone }: { label: string; value: string; tone?: string }) {
  return (
    <div className="border-2 border-line px-2.5 py-1.5">
      <p className="label text-[10px] text-subtle">{label}</p>
      <p className={`num text-sm font-bold ${tone ?? "text-fg"}`}>{value}</p>
    </div>
  );
}

/** Tokens and cost per model that answered: more than one after a model fallback (docs/input-requests.md §3). */
function ByModel({ byModel }: { byModel: NonNullable<SessionView["metrics"]["byModel"]> }) {
  const rows = Object.entries(byModel).sort(([a], [b]) => a.localeCompare(b));
  if (rows.length === 0) return null;
  return (
    <Table aria-label="Usage by model" scrollLabel="Usage by model">
      <thead>
        <tr>
          <Th>Model</Th>
          <Th className="text-right">Tokens</Th>
          <Th className="text-right">Cost</Th>
        </tr>
      </thead>
      <tbody>
        {rows.map(([model, u]) => (
          <Tr key={model}>
            <Td className="max-w-[14rem] truncate">{model}</Td>
            <Td className="num text-right">{formatCount(u.tokens.input + u.tokens.output + u.tokens.reasoning)}</Td>
            <Td className="num text-right">{formatCost(u.costUsd)}</Td>
          </Tr>
        ))}
      </tbody>
    </Table>
  );
}

/** Tokens, cost against budget, tool calls and errors, files and lines, time against the limit, usage by model. */
export function Telemetry({ session, now }: { session: SessionView; now: number }) {
  const m = session.metrics;
  const t = m.tokens;
  const tokens = t.input + t.output + t.reasoning;
  const toolCalls = Object.values(m.toolCalls).reduce((a, b) => a + b, 0);
  const elapsed = elapsedSeconds(session.startedAt, session.finishedAt, now) ?? 0;
  return (
    <Card>
      <CardHeader title="Telemetry" />
      <CardBody className="flex flex-col gap-4">
        <Gauge
          label="Time vs limit"
          value={elapsed}
          max={session.maxDurationSeconds}
          display={`${formatDuration(elapsed)} / ${formatDuration(session.maxDurationSeconds)}`}
        />
        <Gauge
          label="Tokens"
          value={tokens}
          max={session.budget.maxTokens ?? null}
          display={
            session.budget.maxTokens
              ? `${formatCount(tokens)} / ${formatCount(session.budget.maxTokens)}`
              : `${formatCount(tokens)} · no budget`
          }
        />
        <Gauge
          label="Cost"
          value={m.costUsd}
          max={session.budget.maxCostUsd ?? null}
          display={
            session.budget.maxCostUsd
              ? `${formatCost(m.costUsd)} / ${formatCost(session.budget.maxCostUsd)}`
              : `${formatCost(m.costUsd)} · no budget`
          }
        />
        <div className="grid grid-cols-3 gap-2">
          <Counter label="In" value={formatCount(t.input)} />
          <Counter label="Out" value={formatCount(t.output)} />
          <Counter label="Reason" value={formatCount(t.reasoning)} />
          <Counter label="Cache r" value={formatCount(t.cacheRead)} />
          <Counter label="Cache w" value={formatCount(t.cacheWrite)} />
          <Counter label="Calls" value={String(m.modelCalls)} />
          <Counter label="Tools" value={String(toolCalls)} />
          <Counter label="Tool err" value={String(m.toolErrors)} tone={m.toolErrors ? "text-st-failed" : undefined} />
          <Counter label="Files" value={String(m.filesChanged)} />
          <Counter label="Lines +" value={String(m.linesAdded)} tone="text-st-running" />
          <Counter label="Lines −" value={String(m.linesRemoved)} tone="text-st-failed" />
          <Counter label="Ckpts" value={String(m.checkpoints)} />
        </div>
        {m.byModel && <ByModel byModel={m.byModel} />}
      </CardBody>
    </Card>
  );
}
