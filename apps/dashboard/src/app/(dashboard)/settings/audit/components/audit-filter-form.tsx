"use client";

import { routes } from "@industrial/contracts";
import { useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { Field, Input, Select } from "@/components/ui/input";
import { isoToLocalInput, localInputToIso, type AuditFilters } from "../lib/audit-filters";

/** Every operation the audit trail records: the catalogue's writes (sign-in and sign-out included). */
const ACTIONS = Object.entries(routes)
  .filter(([, r]) => r.method !== "GET")
  .map(([name]) => name)
  .sort();

/**
 * The audit log's filters. Applied on submit (into the URL, so a filtered log
 * can be shared and survives a reload); the API's refusal of a value shows
 * under its field.
 */
export function AuditFilterForm({
  filters,
  fields,
  onApply,
}: {
  filters: AuditFilters;
  fields: Record<string, string>;
  onApply: (f: AuditFilters) => void;
}) {
  const [f, setF] = useState(() => ({
    ...filters,
    from: isoToLocalInput(filters.from),
    to: isoToLocalInput(filters.to),
  }));
  const set = (k: "actor" | "action" | "target" | "from" | "to", v: string) => setF((old) => ({ ...old, [k]: v }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onApply({
      actor: f.actor.trim(),
      action: f.action,
      target: f.target.trim(),
      from: localInputToIso(f.from),
      to: localInputToIso(f.to),
      cursor: null,
    });
  };
  const known = ACTIONS.includes(f.action);
  return (
    <form
      onSubmit={submit}
      noValidate
      aria-label="Audit log filters"
      className="grid grid-cols-1 items-start gap-3 sm:grid-cols-2 lg:grid-cols-[1fr_1fr_1fr_auto_auto]"
    >
      <Field id="audit-actor" label="Actor" hint="user:<id>, key:<id> or an id" errors={fields} path="actor">
        {(aria) => <Input {...aria} value={f.actor} onChange={(e) => set("actor", e.target.value)} placeholder="any" />}
      </Field>
      <Field id="audit-action" label="Action" errors={fields} path="action">
        {(aria) => (
          <Select {...aria} value={f.action} onChange={(e) => set("action", e.target.value)}>
            <option value="">Any action</option>
            {!known && f.action ? <option value={f.action}>{f.action}</option> : null}
            {ACTIONS.map((a) => (
              <option key={a} value={a}>
                {a}
              </option>
            ))}
          </Select>
        )}
      </Field>
      <Field id="audit-target" label="Target contains" hint="an id or a path" errors={fields} path="target">
        {(aria) => (
          <Input {...aria} value={f.target} onChange={(e) => set("target", e.target.value)} placeholder="any" />
        )}
      </Field>
      <Field id="audit-from" label="From" errors={fields} path="from">
        {(aria) => (
          <Input {...aria} type="datetime-local" value={f.from} onChange={(e) => set("from", e.target.value)} />
        )}
      </Field>
      <Field id="audit-to" label="To" errors={fields} path="to">
        {(aria) => <Input {...aria} type="datetime-local" value={f.to} onChange={(e) => set("to", e.target.value)} />}
      </Field>
      <div className="flex gap-3 sm:col-span-2 lg:col-span-5">
        <Button type="submit" variant="primary" size="sm">
          Apply filters
        </Button>
        <Button
          size="sm"
          variant="ghost"
          onClick={() => onApply({ actor: "", action: "", target: "", from: "", to: "", cursor: null })}
        >
          Clear
        </Button>
      </div>
    </form>
  );
}
