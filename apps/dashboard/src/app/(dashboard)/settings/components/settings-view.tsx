"use client";

import type { TenantView } from "@industrial/contracts";
import Link from "next/link";
import { useSearchParams } from "next/navigation";
import { cn } from "@/lib/cn";
import { formatCost, formatCount, formatTime } from "@/lib/format";
import { useTenants, useTenantUsage } from "@/lib/queries";
import { Badge } from "@/components/ui/badge";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { ErrorPanel } from "@/components/ui/error-panel";
import { PageHeader } from "@/components/ui/page-header";
import { RowsSkeleton } from "@/components/ui/skeleton";
import { Table, Td, Th, Tr } from "@/components/ui/table";
import { AuthNotice } from "./auth-notice";
import { TenantForm } from "./tenant-form";
import { TenantUsagePanel } from "./tenant-usage";

/** Settings: the tenants with their quotas and budgets, one tenant's month and its edit form, and what authentication will bring. */
export function SettingsView() {
  const tenants = useTenants();
  const wanted = useSearchParams().get("tenant");
  const items = tenants.data?.items ?? [];
  // The tenant in the URL, else the first (the default tenant: every request acts in it).
  const selected = items.find((t) => t.id === wanted) ?? items[0] ?? null;
  return (
    <div className="flex flex-col gap-5">
      <PageHeader title="Settings" description="Tenants: the concurrent-session quota and monthly budgets that admission applies to new sessions." />
      {tenants.isError && !tenants.data ? (
        <ErrorPanel title="Could not list tenants" error={tenants.error} onRetry={() => tenants.refetch()} />
      ) : !tenants.data ? (
        <RowsSkeleton rows={3} />
      ) : items.length === 0 ? (
        <EmptyState
          title="No tenants"
          hint="The first migration creates the default tenant; an empty list means the database was not migrated. Run npm run migrate, then reload."
        />
      ) : (
        <>
          <TenantTable tenants={items} selectedId={selected?.id ?? null} />
          {selected ? <SelectedTenant key={selected.id} tenant={selected} /> : null}
        </>
      )}
      <AuthNotice />
    </div>
  );
}

function TenantTable({ tenants, selectedId }: { tenants: TenantView[]; selectedId: string | null }) {
  return (
    <Card>
      <CardHeader title={`Tenants · ${tenants.length}`} />
      <Table scrollLabel="Tenants table">
        <thead>
          <tr>
            <Th>Name</Th>
            <Th>Slug</Th>
            <Th>State</Th>
            <Th className="text-right">Max concurrent</Th>
            <Th className="text-right">Tokens / month</Th>
            <Th className="text-right">Cost / month</Th>
            <Th>Created</Th>
            <Th>
              <span className="sr-only">Edit</span>
            </Th>
          </tr>
        </thead>
        <tbody>
          {tenants.map((t) => {
            const current = t.id === selectedId;
            return (
              <Tr key={t.id} data-slot="tenant-row" data-tenant={t.slug} data-selected={current} className={cn(current && "bg-raised")}>
                <Td className="font-bold">{t.name}</Td>
                <Td className="text-muted">{t.slug}</Td>
                <Td>{t.active ? <Badge tone="running">active</Badge> : <Badge tone="stopped">inactive</Badge>}</Td>
                <Td className="num text-right" data-slot="tenant-max">
                  {t.maxConcurrentSessions}
                </Td>
                <Td className="num text-right">{t.monthlyTokenBudget === null ? "none" : formatCount(t.monthlyTokenBudget)}</Td>
                <Td className="num text-right">{t.monthlyCostBudgetUsd === null ? "none" : formatCost(t.monthlyCostBudgetUsd)}</Td>
                <Td className="num whitespace-nowrap text-muted">{formatTime(t.createdAt)}</Td>
                <Td className="text-right">
                  {current ? (
                    <span className="label text-accent-strong">editing</span>
                  ) : (
                    <Link href={`/settings?tenant=${t.id}`} scroll={false} className="label text-muted hover:text-fg hover:underline">
                      Edit
                      <span className="sr-only"> {t.name}</span>
                    </Link>
                  )}
                </Td>
              </Tr>
            );
          })}
        </tbody>
      </Table>
    </Card>
  );
}

function SelectedTenant({ tenant }: { tenant: TenantView }) {
  const usage = useTenantUsage(tenant.id);
  return (
    <div className="grid gap-5 lg:grid-cols-2">
      <Card>
        <CardHeader title={`${tenant.name} · this month`} />
        <CardBody>
          {usage.isError && !usage.data ? (
            <ErrorPanel title="Could not read the usage" error={usage.error} onRetry={() => usage.refetch()} />
          ) : !usage.data ? (
            <RowsSkeleton rows={4} />
          ) : (
            <TenantUsagePanel usage={usage.data} />
          )}
        </CardBody>
      </Card>
      <Card>
        <CardHeader title={`${tenant.name} · quotas and budgets`} />
        <CardBody>
          <TenantForm tenant={tenant} />
        </CardBody>
      </Card>
    </div>
  );
}
