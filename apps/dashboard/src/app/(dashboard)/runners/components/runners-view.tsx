"use client";

import type { RegisterRunnerBody, RunnerView } from "@industrial/contracts";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { getApi } from "@/lib/api";
import { useApiMutation } from "@/lib/use-api-mutation";
import { fieldErrorsOf } from "@/lib/field-errors";
import { formatAgo, formatBytes } from "@/lib/format";
import { qk, useAccess, useRunners } from "@/lib/queries";
import { toneOf } from "@/lib/status";
import { useNow } from "@/lib/use-now";
import { Badge, StatusBadge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { FormActions } from "@/components/ui/form-actions";
import { Dialog } from "@/components/ui/dialog";
import { EmptyState } from "@/components/ui/empty-state";
import { ErrorPanel } from "@/components/ui/error-panel";
import { Field, Input } from "@/components/ui/input";
import { PageHeader } from "@/components/ui/page-header";
import { QueryState } from "@/components/ui/query-state";
import { Table, Td, Th, Tr } from "@/components/ui/table";
import { useToast } from "@/components/ui/toast";
import { SandboxStatus } from "./sandbox-status";

/** The OpenCode servers: managed processes and registered remote ones. */
export function RunnersView() {
  const now = useNow(1000);
  const runners = useRunners();
  const [registering, setRegistering] = useState(false);
  const access = useAccess();
  // The server calls a registered URL: only an admin chooses where. Recycling and removing are the lead's.
  const canRegister = access.can("registerRunner");
  const manages = access.can("recycleRunner");
  const qc = useQueryClient();
  const toast = useToast();
  const recycle = useMutation({
    mutationFn: (r: RunnerView) => getApi().call("recycleRunner", { params: { id: r.id }, body: {} }),
    onSuccess: (r) => {
      void qc.invalidateQueries({ queryKey: qk.runners });
      toast.ok(`${r.name} recycling`);
    },
    onError: (e) => toast.error(e, "Recycle refused"),
  });
  const remove = useMutation({
    mutationFn: (r: RunnerView) => getApi().call("deleteRunner", { params: { id: r.id } }),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: qk.runners });
      toast.ok("Runner removed");
    },
    onError: (e) => toast.error(e, "Remove refused"),
  });
  const create = canRegister ? (
    <Button variant="primary" onClick={() => setRegistering(true)}>
      + Remote runner
    </Button>
  ) : null;
  return (
    <div className="flex flex-col gap-5">
      <PageHeader
        title="Runners"
        description="OpenCode servers that run sessions: managed processes of each replica, and remote servers."
        actions={create}
      />
      <SandboxStatus />
      <QueryState
        query={runners}
        errorTitle="Could not list runners"
        isEmpty={(data) => data.items.length === 0}
        empty={
          <EmptyState
            title="No runners yet"
            hint={`A managed runner starts the first time a session needs one. ${canRegister ? "Register" : "An admin registers"} a remote OpenCode server to run sessions elsewhere.`}
            action={create}
          />
        }
      >
        {(data) => (
          <div className="border-2 border-line bg-panel shadow-hard">
            <Table>
              <thead>
                <tr>
                  <Th>Name</Th>
                  <Th>Kind</Th>
                  <Th>Health</Th>
                  <Th>URL</Th>
                  <Th>Version</Th>
                  <Th className="text-right">Sessions</Th>
                  <Th className="text-right">Memory</Th>
                  <Th>Breaker</Th>
                  <Th>Checked</Th>
                  {manages ? (
                    <Th>
                      <span className="sr-only">Actions</span>
                    </Th>
                  ) : null}
                </tr>
              </thead>
              <tbody>
                {data.items.map((r) => (
                  <Tr key={r.id}>
                    <Td className="font-bold">
                      {r.name}
                      {r.draining ? <span className="label ml-2 text-st-paused">draining</span> : null}
                    </Td>
                    <Td className="text-muted">{r.kind}</Td>
                    <Td>
                      <StatusBadge status={r.health} />
                    </Td>
                    <Td className="max-w-[16rem] truncate text-muted">{r.url ?? "—"}</Td>
                    <Td className="text-muted">{r.version ?? "—"}</Td>
                    <Td className="num text-right">{r.sessions}</Td>
                    <Td className="num text-right">{formatBytes(r.memoryBytes)}</Td>
                    <Td>
                      <Badge tone={toneOf(r.breaker.state)}>{r.breaker.state.replace("_", " ")}</Badge>
                    </Td>
                    <Td className="num text-muted">{formatAgo(r.lastCheckedAt, now)}</Td>
                    {manages ? (
                      <Td className="text-right whitespace-nowrap">
                        {r.kind === "managed" ? (
                          <Button
                            size="sm"
                            variant="ghost"
                            busy={recycle.isPending && recycle.variables?.id === r.id}
                            onClick={() => recycle.mutate(r)}
                          >
                            Recycle
                          </Button>
                        ) : (
                          <Button
                            size="sm"
                            variant="ghost"
                            busy={remove.isPending && remove.variables?.id === r.id}
                            onClick={() => remove.mutate(r)}
                          >
                            Remove
                          </Button>
                        )}
                      </Td>
                    ) : null}
                  </Tr>
                ))}
              </tbody>
            </Table>
          </div>
        )}
      </QueryState>
      {canRegister ? <RegisterRunnerDialog open={registering} onClose={() => setRegistering(false)} /> : null}
    </div>
  );
}

function RegisterRunnerDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const [f, setF] = useState({ name: "", url: "", password: "" });
  const create = useApiMutation({
    call: (body: RegisterRunnerBody) => getApi().call("registerRunner", { body }),
    refresh: [qk.runners],
    done: (r) => `Runner ${r.name} registered (${r.health})`,
    then: () => {
      setF({ name: "", url: "", password: "" });
      onClose();
    },
  });
  const { fields, form } = fieldErrorsOf(create.error);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate({ name: f.name, url: f.url, ...(f.password ? { password: f.password } : {}) });
  };
  const close = () => {
    create.reset();
    onClose();
  };
  return (
    <Dialog open={open} onClose={close} title="Register a remote runner">
      <form onSubmit={submit} noValidate className="flex flex-col gap-4">
        {form ? <ErrorPanel title="Not registered" error={create.error} /> : null}
        <Field id="runner-name" label="Name *" errors={fields} path="name">
          {(aria) => (
            <Input
              {...aria}
              value={f.name}
              onChange={(e) => setF({ ...f, name: e.target.value })}
              placeholder="gpu-box-1"
            />
          )}
        </Field>
        <Field
          id="runner-url"
          label="URL *"
          hint="The OpenCode server's base URL (opencode serve)."
          errors={fields}
          path="url"
        >
          {(aria) => (
            <Input
              {...aria}
              value={f.url}
              onChange={(e) => setF({ ...f, url: e.target.value })}
              placeholder="http://10.0.0.5:4096"
            />
          )}
        </Field>
        <Field
          id="runner-password"
          label="Password"
          hint="Its OPENCODE_SERVER_PASSWORD, if set; stored, never shown."
          errors={fields}
          path="password"
        >
          {(aria) => (
            <Input
              {...aria}
              type="password"
              value={f.password}
              onChange={(e) => setF({ ...f, password: e.target.value })}
            />
          )}
        </Field>
        <FormActions onBack={close} submit="Register" busy={create.isPending} />
      </form>
    </Dialog>
  );
}
