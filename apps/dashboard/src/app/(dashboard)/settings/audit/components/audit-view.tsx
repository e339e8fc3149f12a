"use client";

import type { AuditEntryView } from "@industrial/contracts";
import Link from "next/link";
import { useMemo } from "react";
import { fieldErrorsOf } from "@/lib/field-errors";
import { formatTime } from "@/lib/format";
import { useAccess, useApiKeys, useAudit, useUsers } from "@/lib/queries";
import { useSearchState } from "@/lib/use-search-state";
import type { Tone } from "@/lib/status";
import { Badge } from "@/components/ui/badge";
import { Card, CardHeader } from "@/components/ui/card";
import { Pager, useCursorPages } from "@/components/ui/pager";
import { EmptyState } from "@/components/ui/empty-state";
import { ErrorPanel } from "@/components/ui/error-panel";
import { RowsSkeleton } from "@/components/ui/skeleton";
import { Table, Td, Th, Tr } from "@/components/ui/table";
import { RoleRequired } from "../../components/role-required";
import {
  auditFiltersToQuery,
  auditFiltersToSearch,
  describeActor,
  parseAuditFilters,
  type AuditFilters,
} from "../lib/audit-filters";
import { AuditFilterForm } from "./audit-filter-form";

const PAGE_SIZE = 50;

/** A request's outcome: done, refused by the server's rules, or failed inside it. */
const resultTone = (status: number): Tone => (status < 400 ? "running" : status < 500 ? "degraded" : "failed");

/**
 * Who did what (lead and up): every mutating request and session action,
 * newest first, filtered by actor, action, target and time (all in the URL),
 * a page at a time by the API's cursor. Actors are named when the caller may
 * list keys and users (an admin), else shown by id.
 */
export function AuditView() {
  const { params, pathname, replace } = useSearchState();
  const { me, can } = useAccess();
  const allowed = can("listAudit");
  const admin = can("listApiKeys");
  const filters = useMemo(() => parseAuditFilters(new URLSearchParams(params.toString())), [params]);
  const audit = useAudit(auditFiltersToQuery(filters, PAGE_SIZE), allowed);
  const keys = useApiKeys(admin);
  const users = useUsers(admin);
  const names = useMemo(
    () => ({
      keys: new Map((keys.data?.items ?? []).map((k) => [k.id, `${k.name} (${k.prefix})`])),
      users: new Map((users.data?.items ?? []).map((u) => [u.id, u.name])),
    }),
    [keys.data, users.data],
  );
  // The cursors of the pages before this one, for ← Newer.
  const pages = useCursorPages();
  if (!allowed)
    return (
      <RoleRequired
        role="lead"
        what="The audit log is read by a lead or an admin of the tenant."
        yours={me?.role ?? "unknown"}
      />
    );

  const go = (next: AuditFilters) => replace(auditFiltersToSearch(next));
  const apply = (next: AuditFilters) => {
    pages.reset();
    go(next);
  };
  const { fields, form } = fieldErrorsOf(audit.error);
  const items = audit.data?.items ?? [];
  const filtered = Boolean(filters.actor || filters.action || filters.target || filters.from || filters.to);
  return (
    <div className="flex flex-col gap-5">
      <Card>
        <CardHeader title="Filters" />
        <div className="p-4">
          <AuditFilterForm key={params.toString()} filters={filters} fields={fields} onApply={apply} />
        </div>
      </Card>
      {audit.isError && form ? (
        <ErrorPanel title="Could not read the audit log" error={audit.error} onRetry={() => audit.refetch()} />
      ) : audit.isError && !audit.data ? null : !audit.data ? (
        <RowsSkeleton rows={8} />
      ) : items.length === 0 ? (
        <EmptyState
          title={filtered ? "No entry matches" : "Nothing recorded yet"}
          hint={
            filtered
              ? "Widen the time range or clear a filter."
              : "Every request that changes something — and every sign-in — is recorded here with who made it."
          }
        />
      ) : (
        <Card>
          <CardHeader title={`Audit log · ${audit.data.total}`} />
          <Table scrollLabel="Audit log table">
            <thead>
              <tr>
                <Th>Time</Th>
                <Th>Actor</Th>
                <Th>Action</Th>
                <Th>Target</Th>
                <Th className="text-right">Result</Th>
                <Th>Request id</Th>
              </tr>
            </thead>
            <tbody>
              {items.map((e) => (
                <AuditRow
                  key={e.id}
                  entry={e}
                  actor={describeActor(e.actor, names)}
                  filterHref={(k, v) => `${pathname}?${auditFiltersToSearch({ ...filters, [k]: v, cursor: null })}`}
                />
              ))}
            </tbody>
          </Table>
        </Card>
      )}
      {audit.data ? (
        <Pager
          page={pages.page}
          shown={items.length}
          total={audit.data.total}
          prev="← Newer"
          next="Older →"
          onPrev={filters.cursor ? () => go({ ...filters, cursor: pages.back() }) : null}
          onNext={
            audit.data.nextCursor
              ? () => {
                  pages.forward(filters.cursor);
                  go({ ...filters, cursor: audit.data?.nextCursor ?? null });
                }
              : null
          }
        />
      ) : null}
    </div>
  );
}

function AuditRow({
  entry: e,
  actor,
  filterHref,
}: {
  entry: AuditEntryView;
  actor: string;
  filterHref: (key: "actor" | "action", value: string) => string;
}) {
  return (
    <Tr data-slot="audit-row" data-action={e.action}>
      <Td className="num whitespace-nowrap text-muted">{formatTime(e.at)}</Td>
      <Td className="max-w-[18rem] truncate">
        <Link
          href={filterHref("actor", e.actor)}
          scroll={false}
          title={`Only ${e.actor}`}
          className="hover:text-accent-strong hover:underline"
        >
          {actor}
        </Link>
      </Td>
      <Td className="whitespace-nowrap">
        <Link
          href={filterHref("action", e.action)}
          scroll={false}
          title={`Only ${e.action}`}
          className="font-bold hover:text-accent-strong hover:underline"
        >
          {e.action}
        </Link>
      </Td>
      <Td className="max-w-[28rem] truncate text-muted" title={e.target}>
        {e.target}
      </Td>
      <Td className="text-right">
        <Badge tone={resultTone(e.status)}>{e.status}</Badge>
      </Td>
      <Td className="whitespace-nowrap">
        <code className="text-xs text-subtle">{e.requestId}</code>
      </Td>
    </Tr>
  );
}
