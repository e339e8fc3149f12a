"use client";

import { SANDBOX_LIMITS, SANDBOX_NETWORKS } from "@industrial/core";
import { errorAt } from "@/lib/field-errors";
import { Field, fieldAria, Input, Select, Textarea } from "@/components/ui/input";
import type { SandboxForm } from "../lib/sandbox-form";

const LIMITS = [
  {
    key: "memoryMb",
    label: "Memory (MiB)",
    hint: `per command, ${SANDBOX_LIMITS.memoryMb.min}–${SANDBOX_LIMITS.memoryMb.max}`,
  },
  {
    key: "maxProcesses",
    label: "Max processes",
    hint: `${SANDBOX_LIMITS.maxProcesses.min}–${SANDBOX_LIMITS.maxProcesses.max}`,
  },
  {
    key: "cpuSeconds",
    label: "CPU seconds",
    hint: `per command, ${SANDBOX_LIMITS.cpuSeconds.min}–${SANDBOX_LIMITS.cpuSeconds.max}`,
  },
] as const;

/**
 * The "Sandbox" group of the register and edit dialogs: the network, three
 * limits (empty: unlimited) and the mounts, one per line. Mounts hand host
 * paths to the agent's commands and only an admin sets them: for anyone else
 * the list is shown disabled and never sent. Errors are the API's, under
 * each field; `mountsError` is the dialog's own line check or the API's.
 */
export function SandboxFields({
  idPrefix,
  value,
  onChange,
  fields,
  mountsEditable,
  mountsError,
}: {
  idPrefix: string;
  value: SandboxForm;
  onChange: (v: SandboxForm) => void;
  fields: Record<string, string>;
  mountsEditable: boolean;
  mountsError: string | undefined;
}) {
  const id = (k: string) => `${idPrefix}-sandbox-${k}`;
  const set = <K extends keyof SandboxForm>(k: K, v: SandboxForm[K]) => onChange({ ...value, [k]: v });
  const networkError = errorAt(fields, "sandbox.network");
  return (
    <fieldset
      data-slot="sandbox-fields"
      className="grid min-w-0 grid-cols-1 gap-4 border-2 border-line p-4 sm:grid-cols-4"
    >
      <legend className="label px-1 text-muted">Sandbox</legend>
      <Field
        id={id("network")}
        label="Network"
        hint={value.network === "none" ? "no network at all" : "the host's network"}
        error={networkError}
      >
        <Select
          {...fieldAria(id("network"), networkError)}
          value={value.network}
          onChange={(e) => set("network", e.target.value as SandboxForm["network"])}
        >
          {SANDBOX_NETWORKS.map((n) => (
            <option key={n} value={n}>
              {n}
            </option>
          ))}
        </Select>
      </Field>
      {LIMITS.map(({ key, label, hint }) => {
        const error = errorAt(fields, `sandbox.${key}`);
        return (
          <Field key={key} id={id(key)} label={label} hint={`${hint}; empty: unlimited`} error={error}>
            <Input
              {...fieldAria(id(key), error)}
              inputMode="numeric"
              placeholder="unlimited"
              value={value[key]}
              onChange={(e) => set(key, e.target.value)}
            />
          </Field>
        );
      })}
      <Field
        id={id("mounts")}
        label="Mounts"
        hint={
          mountsEditable
            ? `host paths visible inside, one per line: /path:ro or /path:rw (read-only unless :rw), at most ${SANDBOX_LIMITS.mounts}`
            : "only an admin sets mounts"
        }
        error={mountsError}
        className="sm:col-span-4"
      >
        <Textarea
          {...fieldAria(id("mounts"), mountsError)}
          rows={2}
          spellCheck={false}
          disabled={!mountsEditable}
          placeholder={mountsEditable ? "/srv/cache:ro" : "none"}
          value={value.mounts}
          onChange={(e) => set("mounts", e.target.value)}
        />
      </Field>
    </fieldset>
  );
}
