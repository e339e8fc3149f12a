"use client";

import type { UserView } from "@industrial/contracts";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { getApi } from "@/lib/api";
import { formatTime } from "@/lib/format";
import { qk, useAccess, useApiKeys, useUsers } from "@/lib/queries";
import { RoleBadge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { EmptyState } from "@/components/ui/empty-state";
import { QueryState } from "@/components/ui/query-state";
import { Table, Td, Th, Tr } from "@/components/ui/table";
import { useToast } from "@/components/ui/toast";
import { RoleRequired } from "../../components/role-required";
import { UserDialog } from "./user-dialog";

/** The tenant's users (admin): add, change a role, remove (which revokes every key of the user). */
export function UsersView() {
  const { me, can } = useAccess();
  const admin = can("listUsers");
  const users = useUsers(admin);
  const keys = useApiKeys(admin);
  const [editing, setEditing] = useState<UserView | "new" | null>(null);
  const [removing, setRemoving] = useState<UserView | null>(null);
  if (!admin)
    return (
      <RoleRequired role="admin" what="Users are managed by an admin of the tenant." yours={me?.role ?? "unknown"} />
    );

  const keyCount = (id: string) => keys.data?.items.filter((k) => k.userId === id && k.revokedAt === null).length;
  const items = users.data?.items ?? [];
  const add = (
    <Button variant="primary" size="sm" onClick={() => setEditing("new")}>
      + Add user
    </Button>
  );
  return (
    <>
      <QueryState
        query={users}
        errorTitle="Could not list users"
        isEmpty={() => items.length === 0}
        empty={
          <EmptyState
            title="No users yet"
            hint="A key can act on its own. A user gathers a person's keys: they act with the user's role (or their own, if narrower), and removing the user revokes them all. Add one, then create keys for it in API keys."
            action={add}
          />
        }
      >
        {(data) => (
          <Card>
            <CardHeader title={`Users · ${data.total}`} actions={add} />
            <Table scrollLabel="Users table">
              <thead>
                <tr>
                  <Th>Name</Th>
                  <Th>Email</Th>
                  <Th>Role</Th>
                  <Th className="text-right">Keys</Th>
                  <Th>Created</Th>
                  <Th>
                    <span className="sr-only">Actions</span>
                  </Th>
                </tr>
              </thead>
              <tbody>
                {items.map((u) => (
                  <Tr key={u.id} data-slot="user-row" data-user={u.email}>
                    <Td className="font-bold">
                      {u.name}
                      {u.id === me?.userId ? <span className="label ml-2 text-accent-strong">you</span> : null}
                    </Td>
                    <Td className="text-muted">{u.email}</Td>
                    <Td data-slot="user-role">
                      <RoleBadge role={u.role} />
                    </Td>
                    <Td className="num text-right">{keyCount(u.id) ?? "…"}</Td>
                    <Td className="num whitespace-nowrap text-muted">{formatTime(u.createdAt)}</Td>
                    <Td className="text-right whitespace-nowrap">
                      <Button size="sm" variant="ghost" onClick={() => setEditing(u)}>
                        Edit<span className="sr-only"> {u.name}</span>
                      </Button>
                      <Button size="sm" variant="ghost" onClick={() => setRemoving(u)}>
                        Remove<span className="sr-only"> {u.name}</span>
                      </Button>
                    </Td>
                  </Tr>
                ))}
              </tbody>
            </Table>
          </Card>
        )}
      </QueryState>
      {editing ? (
        <UserDialog
          key={editing === "new" ? "new" : editing.id}
          user={editing === "new" ? null : editing}
          open
          onClose={() => setEditing(null)}
        />
      ) : null}
      <RemoveUser
        user={removing}
        keys={removing ? keyCount(removing.id) : undefined}
        onClose={() => setRemoving(null)}
      />
    </>
  );
}

function RemoveUser({ user, keys, onClose }: { user: UserView | null; keys: number | undefined; onClose: () => void }) {
  const qc = useQueryClient();
  const toast = useToast();
  const remove = useMutation({
    mutationFn: (id: string) => getApi().call("deleteUser", { params: { id } }),
    onSuccess: (r) => {
      void qc.invalidateQueries({ queryKey: qk.users });
      void qc.invalidateQueries({ queryKey: qk.apiKeys });
      toast.ok(`${user?.name ?? "User"} removed; ${r.revokedKeys} key${r.revokedKeys === 1 ? "" : "s"} revoked`);
      close();
    },
  });
  const close = () => {
    remove.reset();
    onClose();
  };
  return (
    <ConfirmDialog
      open={user !== null}
      title={`Remove ${user?.name ?? ""}`}
      confirm="Remove user"
      busy={remove.isPending}
      error={remove.error}
      onConfirm={() => user && remove.mutate(user.id)}
      onClose={close}
    >
      <p className="text-fg">
        {user?.name} ({user?.email}) is removed and every key of theirs{keys !== undefined ? ` (${keys} working)` : ""}{" "}
        is revoked at once: their open dashboards and sockets are signed out within seconds.
      </p>
      <p className="text-muted">What they did stays in the audit log.</p>
    </ConfirmDialog>
  );
}
