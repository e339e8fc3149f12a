"use client";

import { CONTEXT_SCOPES } from "@industrial/core";
import type { ContextView, CreateContextBody } from "@industrial/contracts";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState, type FormEvent } from "react";
import { getApi } from "@/lib/api";
import { useApiMutation } from "@/lib/use-api-mutation";
import { cn } from "@/lib/cn";
import { errorAt, fieldErrorsOf } from "@/lib/field-errors";
import { formatAgo, shortId } from "@/lib/format";
import { POLL_MS, qk, useAccess } from "@/lib/queries";
import { useNow } from "@/lib/use-now";
import { listParam } from "@/lib/list-param";
import { useSearchState } from "@/lib/use-search-state";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { FormActions } from "@/components/ui/form-actions";
import { Card, CardHeader } from "@/components/ui/card";
import { FilterChips } from "@/components/ui/filter-chips";
import { Dialog } from "@/components/ui/dialog";
import { EmptyState } from "@/components/ui/empty-state";
import { ErrorPanel } from "@/components/ui/error-panel";
import { Field, fieldAria, Input, Textarea } from "@/components/ui/input";
import { PageHeader } from "@/components/ui/page-header";
import { QueryState } from "@/components/ui/query-state";
import { RowsSkeleton } from "@/components/ui/skeleton";
import { Table, Td, Th, Tr } from "@/components/ui/table";

/** Shared memory of sessions and agents: list by scope, read a document, add a global one. */
export function ContextsView() {
  const { params, set } = useSearchState();
  const now = useNow(5000);
  const scopes = listParam(params.get("scope"), CONTEXT_SCOPES);
  const selectedId = params.get("id");
  const [creating, setCreating] = useState(false);
  const canCreate = useAccess().can("createContext");
  const query = { limit: 200, ...(scopes.length ? { scope: scopes } : {}) };
  const list = useQuery({
    queryKey: qk.contexts(query),
    queryFn: () => getApi().call("listContexts", { query }),
    refetchInterval: POLL_MS.normal,
  });
  const selected = list.data?.items.find((c) => c.id === selectedId) ?? null;
  const create = canCreate ? (
    <Button variant="primary" onClick={() => setCreating(true)}>
      + Global context
    </Button>
  ) : null;
  return (
    <div className="flex flex-col gap-5">
      <PageHeader
        title="Contexts"
        description={
          list.data ? `${list.data.total} contexts` : "Versioned JSON documents shared by sessions and agents."
        }
        actions={create}
      />
      <FilterChips label="Scope" options={CONTEXT_SCOPES} selected={scopes} onChange={(next) => set({ scope: next })} />
      <QueryState
        query={list}
        errorTitle="Could not list contexts"
        loading={<RowsSkeleton rows={5} />}
        isEmpty={(data) => data.items.length === 0}
        empty={
          <EmptyState
            title="No contexts"
            hint="Sessions write their context back when they finish; agents and the whole tenant can have their own. Add a global one to share facts with every session."
            action={create}
          />
        }
      >
        {(data) => (
          <div className="grid grid-cols-1 gap-5 xl:grid-cols-[minmax(0,3fr)_minmax(20rem,2fr)]">
            <div className="border-2 border-line bg-panel shadow-hard">
              <Table>
                <thead>
                  <tr>
                    <Th>Name</Th>
                    <Th>Scope</Th>
                    <Th>Owner</Th>
                    <Th className="text-right">Keys</Th>
                    <Th className="text-right">Version</Th>
                    <Th>Updated</Th>
                  </tr>
                </thead>
                <tbody>
                  {data.items.map((c) => (
                    <Tr key={c.id} className={cn(c.id === selectedId && "bg-raised")}>
                      <Td>
                        <button
                          type="button"
                          className="text-left hover:text-accent-strong hover:underline"
                          aria-current={c.id === selectedId || undefined}
                          onClick={() => set({ id: c.id === selectedId ? null : c.id })}
                        >
                          {c.name ?? <span className="text-muted">(default)</span>}
                        </button>
                      </Td>
                      <Td>
                        <Badge tone={c.scope === "global" ? "accent" : "neutral"}>{c.scope}</Badge>
                      </Td>
                      <Td className="text-muted">
                        <Owner c={c} />
                      </Td>
                      <Td className="num text-right">{Object.keys(c.data).length}</Td>
                      <Td className="num text-right">v{c.version}</Td>
                      <Td className="num text-muted">{formatAgo(c.updatedAt, now)}</Td>
                    </Tr>
                  ))}
                </tbody>
              </Table>
            </div>
            <Card>
              <CardHeader title={selected ? `${selected.name ?? "(default)"} · v${selected.version}` : "Document"} />
              {selected ? (
                <pre data-slot="context-json" className="max-h-[32rem] overflow-auto p-4 text-[12px] leading-5 text-fg">
                  {JSON.stringify(selected.data, null, 2)}
                </pre>
              ) : (
                <p className="p-4 text-sm text-muted">Pick a context to read its document.</p>
              )}
            </Card>
          </div>
        )}
      </QueryState>
      {canCreate ? <CreateContextDialog open={creating} onClose={() => setCreating(false)} /> : null}
    </div>
  );
}

function Owner({ c }: { c: ContextView }) {
  if (c.sessionId)
    return (
      <Link href={`/sessions/${c.sessionId}`} className="hover:text-fg hover:underline">
        session {shortId(c.sessionId)}
      </Link>
    );
  if (c.agentId)
    return (
      <Link href={`/agents/${c.agentId}`} className="hover:text-fg hover:underline">
        agent {shortId(c.agentId)}
      </Link>
    );
  return <>tenant</>;
}

function CreateContextDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const [name, setName] = useState("");
  const [json, setJson] = useState("{\n  \n}");
  const [parseError, setParseError] = useState<string | null>(null);
  const create = useApiMutation({
    call: (body: CreateContextBody) => getApi().call("createContext", { body }),
    refresh: [["contexts"]],
    done: (c) => `Context ${c.name ?? "(default)"} created`,
    then: () => {
      onClose();
    },
  });
  const { fields, form } = fieldErrorsOf(create.error);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    let data: unknown;
    try {
      data = JSON.parse(json);
      setParseError(null);
    } catch (err) {
      setParseError(`not JSON: ${(err as Error).message}`);
      return;
    }
    create.mutate({ scope: "global", name: name || null, data: data as CreateContextBody["data"] });
  };
  const dataError = parseError ?? errorAt(fields, "data");
  return (
    <Dialog open={open} onClose={onClose} title="New global context">
      <form onSubmit={submit} noValidate className="flex flex-col gap-4">
        {form ? <ErrorPanel title="Not created" error={create.error} /> : null}
        <Field id="ctx-name" label="Name" errors={fields} path="name">
          {(aria) => (
            <Input {...aria} value={name} onChange={(e) => setName(e.target.value)} placeholder="conventions" />
          )}
        </Field>
        <Field id="ctx-data" label="Data (JSON object)" error={dataError}>
          <Textarea
            {...fieldAria("ctx-data", dataError)}
            rows={8}
            value={json}
            onChange={(e) => setJson(e.target.value)}
            className="text-[12px]"
          />
        </Field>
        <FormActions onBack={onClose} submit="Create" busy={create.isPending} />
      </form>
    </Dialog>
  );
}
