"use client";

import { PRIORITIES, SESSION_STATUSES, SESSION_TYPES } from "@industrial/core";
import { useEffect, useMemo, useState } from "react";
import { useAccess, useAgents, useSessions } from "@/lib/queries";
import { useNow } from "@/lib/use-now";
import { useSearchState } from "@/lib/use-search-state";
import { statusLabel } from "@/lib/status";
import { Button } from "@/components/ui/button";
import { FilterChips } from "@/components/ui/filter-chips";
import { EmptyState } from "@/components/ui/empty-state";
import { Input, Select } from "@/components/ui/input";
import { PageHeader } from "@/components/ui/page-header";
import { Pager, useCursorPages } from "@/components/ui/pager";
import { QueryState } from "@/components/ui/query-state";
import { RowsSkeleton } from "@/components/ui/skeleton";
import { StatusDot } from "@/components/ui/badge";
import { filtersToQuery, filtersToSearch, parseFilters, type SessionFilters } from "../lib/filters";
import { BulkBar } from "./bulk-bar";
import { NewSessionDialog } from "./new-session-dialog";
import { SessionsTable } from "./sessions-table";

const PAGE_SIZE = 25;

/** The sessions list: filters in the URL, server-side cursor pages, bulk actions, the New session dialog. */
export function SessionsView() {
  const { params, set, replace } = useSearchState();
  const filters = useMemo(() => parseFilters(new URLSearchParams(params.toString())), [params]);
  const access = useAccess();
  const canCreate = access.can("createSession");
  const pages = useCursorPages();
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [text, setText] = useState(filters.q);
  const now = useNow(1000);
  const agents = useAgents();
  const agentNames = useMemo(() => new Map((agents.data?.items ?? []).map((a) => [a.id, a.name])), [agents.data]);
  const list = useSessions(filtersToQuery(filters, PAGE_SIZE));
  const dialogOpen = params.get("new") === "1";

  const apply = (next: Partial<SessionFilters>, keepCursor = false) => {
    const merged: SessionFilters = { ...filters, ...next, cursor: keepCursor ? (next.cursor ?? null) : null };
    if (!keepCursor) pages.reset();
    setSelected(new Set());
    replace(filtersToSearch(merged));
  };

  // The text filter follows typing after a short pause.
  useEffect(() => {
    if (text === filters.q) return;
    const t = setTimeout(() => apply({ q: text.trim() }), 350);
    return () => clearTimeout(t);
  }, [text]);

  const setDialog = (open: boolean) => set({ new: open ? "1" : null });

  const items = list.data?.items ?? [];
  // Bulk actions reach only the sessions this caller controls (a member: its own).
  const selectedSessions = items.filter((s) => selected.has(s.id) && access.canControl(s.createdBy));

  const create = canCreate ? (
    <Button variant="primary" onClick={() => setDialog(true)}>
      + New session
    </Button>
  ) : null;
  return (
    <div className="flex flex-col gap-5">
      <PageHeader
        title="Sessions"
        description={list.data ? `${list.data.total} matching` : "Every unit of coding work, newest first."}
        actions={create}
      />

      <section aria-label="Filters" className="flex flex-col gap-3">
        <FilterChips
          label="Status"
          options={SESSION_STATUSES}
          selected={filters.status}
          onChange={(status) => apply({ status })}
          render={(s) => (
            <>
              <StatusDot status={s} className="h-2 w-2" />
              {statusLabel(s)}
            </>
          )}
        />
        <FilterChips
          label="Priority"
          options={PRIORITIES}
          selected={filters.priority}
          onChange={(priority) => apply({ priority })}
        />
        <div className="grid grid-cols-1 gap-3 sm:grid-cols-[1fr_12rem_14rem_auto]">
          <Input
            aria-label="Search title and prompt"
            placeholder="Search title and prompt…"
            value={text}
            onChange={(e) => setText(e.target.value)}
          />
          <Select
            aria-label="Type"
            value={filters.type[0] ?? ""}
            onChange={(e) => apply({ type: e.target.value ? [e.target.value as (typeof SESSION_TYPES)[number]] : [] })}
          >
            <option value="">Any type</option>
            {SESSION_TYPES.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </Select>
          <Select
            aria-label="Agent"
            value={filters.agentId ?? ""}
            onChange={(e) => apply({ agentId: e.target.value || null })}
          >
            <option value="">Any agent</option>
            {(agents.data?.items ?? []).map((a) => (
              <option key={a.id} value={a.id}>
                {a.name}
              </option>
            ))}
          </Select>
          <Button
            variant="ghost"
            onClick={() => {
              setText("");
              apply({ status: [], priority: [], type: [], agentId: null, q: "" });
            }}
          >
            Clear
          </Button>
        </div>
      </section>

      <BulkBar sessions={selectedSessions} onDone={() => setSelected(new Set())} />

      <QueryState
        query={list}
        errorTitle="Could not list sessions"
        loading={<RowsSkeleton rows={8} />}
        isEmpty={() => items.length === 0}
        empty={
          <EmptyState
            title={
              filters.status.length || filters.priority.length || filters.type.length || filters.q || filters.agentId
                ? "No session matches"
                : "No sessions yet"
            }
            hint={
              filters.status.length || filters.q
                ? "Nothing matches these filters. Clear them, or widen the status selection."
                : canCreate
                  ? "Create one with New session: give it a prompt, and the scheduler picks an agent and runs it."
                  : "Sessions of this tenant appear here as they are created (your role reads them; a member or above creates them)."
            }
            action={create}
          />
        }
      >
        {() => (
          <SessionsTable
            sessions={items}
            agentNames={agentNames}
            now={now}
            sort={filters.sort}
            onSort={(sort) => apply({ sort })}
            selected={selected}
            onSelect={(ids) => setSelected(ids)}
            selectable={access.can("stopSession")}
          />
        )}
      </QueryState>

      {list.data ? (
        <Pager
          page={pages.page}
          shown={items.length}
          total={list.data.total}
          onPrev={filters.cursor ? () => apply({ cursor: pages.back() }, true) : null}
          onNext={
            list.data.nextCursor
              ? () => {
                  pages.forward(filters.cursor);
                  apply({ cursor: list.data?.nextCursor ?? null }, true);
                }
              : null
          }
        />
      ) : null}

      {canCreate ? <NewSessionDialog open={dialogOpen} onClose={() => setDialog(false)} /> : null}
    </div>
  );
}
