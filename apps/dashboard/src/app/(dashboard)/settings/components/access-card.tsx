"use client";

import { ROLES, type Role } from "@industrial/core";
import Link from "next/link";
import { cn } from "@/lib/cn";
import { useAccess, useApiKeys, useTenant, useUsers } from "@/lib/queries";
import { RoleBadge } from "@/components/ui/badge";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { KeyValues } from "@/components/ui/stat";

/** What each role adds to the one below it (docs/security.md). */
const ROLE_MAY: Record<Role, string> = {
  admin: "tenants, users and API keys; registers remote runners",
  lead: "agents and runners, the tenant's quotas, weight, budgets, retention, model list and repository prefixes, any session or task of the tenant, the audit log",
  member: "creates sessions, tasks and contexts; controls the sessions and tasks it created",
  viewer: "reads everything of its tenant",
};

/**
 * Authentication as it is on this server: who you are (role, tenant, key,
 * user) and what each role may — yours marked — or, with
 * ORCHESTRATOR_AUTH=off, a banner that cannot be missed.
 */
export function AccessCard() {
  const { me, can } = useAccess();
  const tenant = useTenant(me?.tenantId);
  const admin = can("listApiKeys") && me?.authEnabled === true;
  const keys = useApiKeys(admin);
  const users = useUsers(admin);
  if (!me) return null;
  const key = keys.data?.items.find((k) => k.id === me.keyId);
  const user = users.data?.items.find((u) => u.id === me.userId);
  const working = keys.data?.items.filter(
    (k) => k.revokedAt === null && (k.expiresAt === null || Date.parse(k.expiresAt) > Date.now()),
  ).length;

  return (
    <Card data-slot="access-card" data-auth={me.authEnabled ? "on" : "off"}>
      <CardHeader title="Access" />
      <CardBody className="flex flex-col gap-5">
        {!me.authEnabled ? (
          <div
            role="alert"
            data-slot="auth-off-banner"
            className="flex flex-col gap-2 border-2 border-st-failed bg-bg p-4 shadow-hard-danger"
          >
            <p className="label text-st-failed">✗ Authentication is off (ORCHESTRATOR_AUTH=off)</p>
            <p className="max-w-prose text-sm text-fg">
              Every request that reaches this port — from this dashboard, the CLI or anything else on the machine — is
              accepted without a key and acts as an admin of the default tenant. The server allows this only on a
              loopback address.
            </p>
            <p className="max-w-prose text-sm text-muted">
              Start it without ORCHESTRATOR_AUTH=off to require API keys; the first start prints an admin key once.
            </p>
          </div>
        ) : null}
        <KeyValues
          className="lg:grid-cols-5"
          items={[
            { label: "Your role", value: <RoleBadge role={me.role} /> },
            { label: "Tenant", value: tenant.data?.name ?? me.tenantId.slice(0, 8) },
            {
              label: "Key",
              value: !me.keyId ? "none (auth off)" : key ? `${key.prefix} · ${key.name}` : `${me.keyId.slice(0, 8)}…`,
            },
            { label: "User", value: me.userId ? (user?.name ?? `${me.userId.slice(0, 8)}…`) : "—" },
            { label: "Signed in by", value: me.authEnabled ? "cookie, 12 h" : "no key needed" },
          ]}
        />
        <div className="flex flex-col gap-1" role="list" aria-label="Roles">
          {[...ROLES].reverse().map((r) => (
            <div
              key={r}
              role="listitem"
              data-current={r === me.role}
              className={cn(
                "flex flex-wrap items-baseline gap-x-3 gap-y-1 border-l-4 px-3 py-1.5 text-sm",
                r === me.role ? "border-accent bg-raised" : "border-transparent",
              )}
            >
              <span className="w-20 shrink-0">
                <RoleBadge role={r} />
              </span>
              <span className={r === me.role ? "text-fg" : "text-muted"}>{ROLE_MAY[r]}</span>
              {r === me.role ? <span className="label text-accent-strong">← you</span> : null}
            </div>
          ))}
        </div>
        {admin ? (
          <p className="flex flex-wrap items-center gap-x-4 gap-y-2 border-t-2 border-line pt-4 text-sm text-muted">
            <span className="num">
              {working ?? "…"} working key{working === 1 ? "" : "s"} · {users.data?.total ?? "…"} user
              {users.data?.total === 1 ? "" : "s"}
            </span>
            <Link href="/settings/api-keys" className="label text-accent-strong hover:underline">
              API keys →
            </Link>
            <Link href="/settings/users" className="label text-accent-strong hover:underline">
              Users →
            </Link>
          </p>
        ) : null}
      </CardBody>
    </Card>
  );
}
