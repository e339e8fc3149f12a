"use client";

import type { ApiKeyView } from "@industrial/contracts";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import { getApi } from "@/lib/api";
import { cn } from "@/lib/cn";
import { formatAgo, formatTime } from "@/lib/format";
import { qk, useAccess, useApiKeys, useUsers } from "@/lib/queries";
import { useNow } from "@/lib/use-now";
import { Badge, RoleBadge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { EmptyState } from "@/components/ui/empty-state";
import { QueryState } from "@/components/ui/query-state";
import { Table, Td, Th, Tr } from "@/components/ui/table";
import { useToast } from "@/components/ui/toast";
import { RoleRequired } from "../../components/role-required";
import { CreateKeyDialog } from "./create-key-dialog";

/** The tenant's API keys (admin): every one, revoked and expired included; create (shown once) and revoke. */
export function ApiKeysView() {
  const { me, can } = useAccess();
  const admin = can("listApiKeys");
  const keys = useApiKeys(admin);
  const users = useUsers(admin);
  const now = useNow(30_000);
  const [creating, setCreating] = useState(false);
  const [revoking, setRevoking] = useState<ApiKeyView | null>(null);
  const userNames = useMemo(() => new Map((users.data?.items ?? []).map((u) => [u.id, u.name])), [users.data]);
  if (!admin)
    return (
      <RoleRequired
        role="admin"
        what="API keys are made and revoked by an admin of the tenant."
        yours={me?.role ?? "unknown"}
      />
    );

  const items = keys.data?.items ?? [];
  const create = (
    <Button variant="primary" size="sm" onClick={() => setCreating(true)}>
      + Create key
    </Button>
  );
  return (
    <>
      <QueryState
        query={keys}
        errorTitle="Could not list API keys"
        isEmpty={() => items.length === 0}
        empty={
          <EmptyState
            title="No API keys"
            hint="Create one for each person, script or service that calls the orchestrator, with the narrowest role it needs."
            action={create}
          />
        }
      >
        {(data) => (
          <Card>
            <CardHeader title={`API keys · ${data.total}`} actions={create} />
            <Table scrollLabel="API keys table">
              <thead>
                <tr>
                  <Th>Name</Th>
                  <Th>Role</Th>
                  <Th>Prefix</Th>
                  <Th>User</Th>
                  <Th>Created</Th>
                  <Th>Last used</Th>
                  <Th>Expires</Th>
                  <Th>Revoked</Th>
                  <Th>
                    <span className="sr-only">Actions</span>
                  </Th>
                </tr>
              </thead>
              <tbody>
                {items.map((k) => {
                  const expired = k.expiresAt !== null && Date.parse(k.expiresAt) <= now;
                  const dead = k.revokedAt !== null || expired;
                  return (
                    <Tr
                      key={k.id}
                      data-slot="key-row"
                      data-key-name={k.name}
                      data-state={k.revokedAt ? "revoked" : expired ? "expired" : "working"}
                      className={cn(dead && "text-subtle")}
                    >
                      <Td className={cn("font-bold", dead ? "text-muted" : "text-fg")}>
                        {k.name}
                        {k.id === me?.keyId ? <span className="label ml-2 text-accent-strong">you</span> : null}
                      </Td>
                      <Td>
                        <RoleBadge role={k.role} />
                      </Td>
                      <Td>
                        <code className="text-muted">{k.prefix}</code>
                      </Td>
                      <Td className="text-muted">
                        {k.userId ? (userNames.get(k.userId) ?? `${k.userId.slice(0, 8)}…`) : "—"}
                      </Td>
                      <Td className="num whitespace-nowrap text-muted">{formatTime(k.createdAt)}</Td>
                      <Td className="num whitespace-nowrap text-muted" title={formatTime(k.lastUsedAt)}>
                        {k.lastUsedAt ? formatAgo(k.lastUsedAt, now) : "never"}
                      </Td>
                      <Td className="num whitespace-nowrap">
                        {expired ? (
                          <Badge tone="timeout">expired</Badge>
                        ) : (
                          <span className="text-muted">{k.expiresAt ? formatTime(k.expiresAt) : "never"}</span>
                        )}
                      </Td>
                      <Td className="num whitespace-nowrap">
                        {k.revokedAt ? (
                          <Badge tone="failed">{formatTime(k.revokedAt)}</Badge>
                        ) : (
                          <span className="text-muted">—</span>
                        )}
                      </Td>
                      <Td className="text-right">
                        {k.revokedAt === null ? (
                          <Button size="sm" variant="ghost" onClick={() => setRevoking(k)}>
                            Revoke<span className="sr-only"> {k.name}</span>
                          </Button>
                        ) : null}
                      </Td>
                    </Tr>
                  );
                })}
              </tbody>
            </Table>
          </Card>
        )}
      </QueryState>
      {creating ? <CreateKeyDialog onClose={() => setCreating(false)} /> : null}
      <RevokeKey apiKey={revoking} mine={revoking?.id === me?.keyId} onClose={() => setRevoking(null)} />
    </>
  );
}

function RevokeKey({ apiKey, mine, onClose }: { apiKey: ApiKeyView | null; mine: boolean; onClose: () => void }) {
  const qc = useQueryClient();
  const toast = useToast();
  const revoke = useMutation({
    mutationFn: (id: string) => getApi().call("revokeApiKey", { params: { id } }),
    onSuccess: (k) => {
      void qc.invalidateQueries({ queryKey: qk.apiKeys });
      toast.ok(`Revoked ${k.name} (${k.prefix})`);
      close();
    },
  });
  const close = () => {
    revoke.reset();
    onClose();
  };
  return (
    <ConfirmDialog
      open={apiKey !== null}
      title={`Revoke ${apiKey?.name ?? ""}`}
      confirm="Revoke key"
      busy={revoke.isPending}
      error={revoke.error}
      onConfirm={() => apiKey && revoke.mutate(apiKey.id)}
      onClose={close}
    >
      <p className="text-fg">
        The key <code>{apiKey?.prefix}</code> stops working at once, on every replica; its open dashboards and sockets
        are signed out within seconds. This cannot be undone.
      </p>
      {mine ? (
        <p className="label text-st-failed">This is the key you are signed in with: revoking it signs you out.</p>
      ) : null}
    </ConfirmDialog>
  );
}
