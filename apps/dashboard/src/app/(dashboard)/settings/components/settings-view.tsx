"use client";

import type { TenantView } from "@industrial/contracts";
import Link from "next/link";
import { useSearchParams } from "next/navigation";
import { cn } from "@/lib/cn";
import { formatCost, formatCount, formatTime } from "@/lib/format";
import { useAccess, useTenant, useTenants, useTenantUsage } from "@/lib/queries";
import { Badge } from "@/components/ui/badge";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { ErrorPanel } from "@/components/ui/error-panel";
import { RowsSkeleton } from "@/components/ui/skeleton";
import { Table, Td, Th, Tr } from "@/components/ui/table";
import { AccessCard } from "./access-card";
import { NotifyWebhookSettings } from "./notify-webhook-form";
import { TenantForm } from "./tenant-form";
import { TenantUsagePanel } from "./tenant-usage";

/**
 * Settings' first page: who you are and what authentication does here, then
 * the tenants — every one for an admin (the operator's admins see them all),
 * the caller's own for other roles — one tenant's month and its edit form.
 */
export function SettingsView() {
  const { me, can } = useAccess();
  const admin = can("listTenants");
  const tenants = useTenants(admin);
  const own = useTenant(admin ? undefined : me?.tenantId);
  const wanted = useSearchParams().get("tenant");
  const source = admin ? tenants : own;
  const items = admin ? (tenants.data?.items ?? []) : own.data ? [own.data] : [];
  // The tenant in the URL, else the one this caller acts in, else the first.
  const selected = items.find((t) => t.id === wanted) ?? items.find((t) => t.id === me?.tenantId) ?? items[0] ?? null;
  return (
    <div className="flex flex-col gap-5">
      <AccessCard />
      {source.isError && !source.data ? (
        <ErrorPanel title="Could not read the tenants" error={source.error} onRetry={() => source.refetch()} />
      ) : !source.data ? (
        <RowsSkeleton rows={3} />
      ) : items.length === 0 ? (
        <EmptyState
          title="No tenants"
          hint="The first migration creates the default tenant; an empty list means the database was not migrated. Run npm run migrate, then reload."
        />
      ) : (
        <>
          {admin ? <TenantTable tenants={items} selectedId={selected?.id ?? null} /> : null}
          {selected ? <SelectedTenant key={selected.id} tenant={selected} /> : null}
        </>
      )}
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
            <Th className="text-right">Weight</Th>
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
              <Tr
                key={t.id}
                data-slot="tenant-row"
                data-tenant={t.slug}
                data-selected={current}
                className={cn(current && "bg-raised")}
              >
                <Td className="font-bold">{t.name}</Td>
                <Td className="text-muted">{t.slug}</Td>
                <Td>{t.active ? <Badge tone="running">active</Badge> : <Badge tone="stopped">inactive</Badge>}</Td>
                <Td className="num text-right" data-slot="tenant-max">
                  {t.maxConcurrentSessions}
                </Td>
                <Td className="num text-right" data-slot="tenant-weight">
                  {t.weight}
                </Td>
                <Td className="num text-right">
                  {t.monthlyTokenBudget === null ? "none" : formatCount(t.monthlyTokenBudget)}
                </Td>
                <Td className="num text-right">
                  {t.monthlyCostBudgetUsd === null ? "none" : formatCost(t.monthlyCostBudgetUsd)}
                </Td>
                <Td className="num whitespace-nowrap text-muted">{formatTime(t.createdAt)}</Td>
                <Td className="text-right">
                  {current ? (
                    <span className="label text-accent-strong">editing</span>
                  ) : (
                    <Link
                      href={`/settings?tenant=${t.id}`}
                      scroll={false}
                      className="label text-muted hover:text-fg hover:underline"
                    >
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
        <CardHeader title={`${tenant.name} · limits and allow-lists`} />
        <CardBody>
          <TenantForm tenant={tenant} />
        </CardBody>
      </Card>
      <Card>
        <CardHeader title={`${tenant.name} · notifications`} />
        <CardBody>
          <NotifyWebhookSettings tenant={tenant} />
        </CardBody>
      </Card>
    </div>
  );
}
