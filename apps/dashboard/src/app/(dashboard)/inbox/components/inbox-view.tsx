"use client";

import { INPUT_REQUEST_KINDS, type InputRequestKind } from "@industrial/core";
import { useAccess, useAgents, type InboxQuery } from "@/lib/queries";
import { useNow } from "@/lib/use-now";
import { useSearchState } from "@/lib/use-search-state";
import { Chip } from "@/components/ui/chip";
import { EmptyState } from "@/components/ui/empty-state";
import { ErrorPanel } from "@/components/ui/error-panel";
import { PageHeader } from "@/components/ui/page-header";
import { RowsSkeleton } from "@/components/ui/skeleton";
import { useInbox } from "../hooks/use-inbox";
import { RequestCard } from "./request-card";

const LIVE_LABEL = { open: "live", connecting: "connecting", closed: "reconnecting" } as const;

/**
 * What agents wait for a person to answer, oldest first (docs/input-requests.md
 * §3, Dashboard), live over the `inbox` room; the kind filter lives in the URL.
 * Viewers read the requests; the controls are for those who may answer.
 */
export function InboxView() {
  const { params, set } = useSearchState();
  const now = useNow(1000);
  const kind = INPUT_REQUEST_KINDS.find((k) => k === params.get("kind")) ?? null;
  const query: InboxQuery = { limit: 200, ...(kind ? { kind } : {}) };
  const inbox = useInbox(query);
  const agents = useAgents();
  const canAnswer = useAccess().can("replyInputRequest");
  const setKind = (k: InputRequestKind | null) => set({ kind: k });
  const names = new Map((agents.data?.items ?? []).map((a) => [a.id, a.name]));
  const data = inbox.data;
  return (
    <div className="flex flex-col gap-5">
      <PageHeader
        title="Inbox"
        description={
          data
            ? `${data.total} ${data.total === 1 ? "request waits" : "requests wait"} for an answer`
            : "Permissions and questions agents wait on."
        }
        actions={
          <span data-slot="inbox-live" data-state={inbox.live} className="label text-subtle">
            {LIVE_LABEL[inbox.live]}
          </span>
        }
      />
      <div className="flex flex-wrap items-center gap-1.5" role="group" aria-label="Kind">
        <span className="label mr-2 text-subtle">Kind</span>
        <Chip pressed={kind === null} onClick={() => setKind(null)}>
          all
        </Chip>
        {INPUT_REQUEST_KINDS.map((k) => (
          <Chip key={k} pressed={kind === k} onClick={() => setKind(kind === k ? null : k)}>
            {k}
          </Chip>
        ))}
      </div>
      {inbox.isError && !data ? (
        <ErrorPanel title="Could not read the inbox" error={inbox.error} onRetry={() => inbox.refetch()} />
      ) : !data ? (
        <RowsSkeleton rows={4} />
      ) : data.items.length === 0 ? (
        <EmptyState
          title={kind ? `No ${kind} waits` : "Nothing waits for an answer"}
          hint={
            <>
              When an agent whose permission is <code>ask</code> wants to edit a file or run a command, or an agent
              allowed to ask questions puts one, the request appears here at once and its session waits. Give an agent{" "}
              <code>ask</code> rules, or let it ask questions, on its page under Agents.
            </>
          }
        />
      ) : (
        <ul className="grid grid-cols-1 gap-5 2xl:grid-cols-2">
          {data.items.map((item) => (
            <li key={item.id} className="min-w-0">
              <RequestCard item={item} agentName={names.get(item.agentId)} canAnswer={canAnswer} now={now} />
            </li>
          ))}
        </ul>
      )}
      {data?.nextCursor ? (
        <p className="text-xs text-subtle">
          The {data.items.length} oldest of {data.total} are shown; answer these and the rest follow.
        </p>
      ) : null}
    </div>
  );
}
