"use client";

import { PERMISSION_ACTIONS, type PermissionAction } from "@industrial/core";
import { Button } from "@/components/ui/button";
import { Field, fieldAria, Input, Select } from "@/components/ui/input";
import {
  addRow,
  KNOWN_PERMISSIONS,
  parseAction,
  QUICK_PERMISSIONS,
  removeRow,
  updateRow,
  type PermissionErrors,
  type PermissionsForm,
  type QuickPermission,
} from "../lib/permissions-form";

/** The API's cap on an agent's rules (PermissionRuleSchema's list). */
const MAX_RULES = 64;

const QUICK: Record<QuickPermission, { label: string; what: string }> = {
  edit: { label: "Edit files", what: "writes, edits and patches" },
  bash: { label: "Run commands (bash)", what: "shell commands" },
};

const ACTION_TEXT: Record<PermissionAction, string> = { allow: "allow", ask: "ask", deny: "deny" };

function ActionOptions({ quick }: { quick?: boolean }) {
  return PERMISSION_ACTIONS.map((a) => (
    <option key={a} value={a}>
      {quick && a === "allow" ? "allow (default)" : ACTION_TEXT[a]}
    </option>
  ));
}

/**
 * The "Permissions" group of the register and edit dialogs: OpenCode's rules
 * for the agent's sessions. A quick select for `edit` and `bash` (allow is no
 * rule at all), then extra rules added and removed as rows. `ask` is the way
 * to the Inbox, so the group says so. Errors are the API's, placed by
 * `permissionErrorsOf`: under the select, or under the row with its number.
 */
export function PermissionFields({
  idPrefix,
  value,
  onChange,
  errors,
}: {
  idPrefix: string;
  value: PermissionsForm;
  onChange: (v: PermissionsForm) => void;
  errors: PermissionErrors;
}) {
  const id = (k: string) => `${idPrefix}-perm-${k}`;
  const total = value.rows.length + QUICK_PERMISSIONS.filter((p) => value.quick[p] !== "allow").length;
  const asks = QUICK_PERMISSIONS.some((p) => value.quick[p] === "ask") || value.rows.some((r) => r.action === "ask");
  return (
    <fieldset data-slot="permission-fields" className="flex min-w-0 flex-col gap-4 border-2 border-line p-4">
      <legend className="label px-1 text-muted">Permissions</legend>
      <p
        data-slot="ask-note"
        className={`border-l-2 pl-3 text-xs ${asks ? "border-accent text-fg" : "border-line text-muted"}`}
      >
        <strong className="label">Ask</strong> sends the agent&apos;s request to the <strong>Inbox</strong>: its session
        waits there until a person approves or rejects it, or the input timeout passes. Deny refuses without asking.
      </p>
      <div className="grid grid-cols-1 gap-4 sm:grid-cols-2">
        {QUICK_PERMISSIONS.map((p) => (
          <Field
            key={p}
            id={id(p)}
            label={QUICK[p].label}
            hint={`${QUICK[p].what}; allow: no rule`}
            error={errors.quick[p]}
          >
            <Select
              {...fieldAria(id(p), errors.quick[p])}
              value={value.quick[p]}
              onChange={(e) => onChange({ ...value, quick: { ...value.quick, [p]: parseAction(e.target.value) } })}
            >
              <ActionOptions quick />
            </Select>
          </Field>
        ))}
      </div>
      <div className="flex flex-col gap-2">
        <p className="label text-muted" id={id("rules-label")}>
          Extra rules
        </p>
        {value.rows.length > 0 ? (
          <>
            <div
              aria-hidden
              className="label hidden grid-cols-[2rem_minmax(0,1fr)_minmax(0,1fr)_7rem_5.5rem] gap-2 text-subtle sm:grid"
            >
              <span>#</span>
              <span>Permission</span>
              <span>Pattern</span>
              <span>Action</span>
            </div>
            <ol
              aria-labelledby={id("rules-label")}
              data-slot="permission-rules"
              className="flex flex-col gap-3 sm:gap-2"
            >
              {value.rows.map((r, i) => (
                <RuleRow
                  key={r.key}
                  n={i + 1}
                  idBase={id(`rule-${r.key}`)}
                  listId={id("known")}
                  row={r}
                  error={errors.rows[r.key]}
                  onChange={(change) => onChange(updateRow(value, r.key, change))}
                  onRemove={() => onChange(removeRow(value, r.key))}
                />
              ))}
            </ol>
          </>
        ) : null}
        <datalist id={id("known")}>
          {KNOWN_PERMISSIONS.map((k) => (
            <option key={k} value={k} />
          ))}
        </datalist>
        <div className="flex flex-wrap items-center gap-3">
          <Button size="sm" onClick={() => onChange(addRow(value))} disabled={total >= MAX_RULES}>
            + Add rule
          </Button>
          <p className="min-w-[14rem] flex-1 text-xs text-subtle">
            Checked in order after edit and bash above; the last rule that matches wins (e.g. bash · git status* ·
            allow). At most {MAX_RULES} rules.
          </p>
        </div>
        {errors.list ? (
          <p id={id("list-error")} role="alert" data-slot="field-error" className="text-xs text-st-failed">
            ✗ {errors.list}
          </p>
        ) : null}
      </div>
    </fieldset>
  );
}

function RuleRow({
  n,
  idBase,
  listId,
  row,
  error,
  onChange,
  onRemove,
}: {
  n: number;
  idBase: string;
  listId: string;
  row: PermissionsForm["rows"][number];
  error: PermissionErrors["rows"][number] | undefined;
  onChange: (change: Partial<Omit<PermissionsForm["rows"][number], "key">>) => void;
  onRemove: () => void;
}) {
  const errorId = `${idBase}-error`;
  // The whole row is marked when the API names the rule but no field of it.
  const invalid = (field: "permission" | "pattern" | "action") =>
    error && (!error.field || error.field === field) ? { "aria-invalid": true, "aria-describedby": errorId } : {};
  // Visible column names on a phone (the header row is hidden there); the controls' names say the rule's number.
  const small = "label text-subtle sm:hidden";
  return (
    <li
      data-slot="permission-rule"
      data-row={n}
      className="flex flex-col gap-1.5 border-line max-sm:border-2 max-sm:p-3"
    >
      <div className="grid grid-cols-[2rem_minmax(0,1fr)] items-center gap-2 sm:grid-cols-[2rem_minmax(0,1fr)_minmax(0,1fr)_7rem_5.5rem]">
        <span className="num text-sm text-muted max-sm:row-span-3 max-sm:self-start">{n}</span>
        <label className="flex min-w-0 flex-col gap-1">
          <span className={small}>Permission</span>
          <Input
            id={`${idBase}-permission`}
            aria-label={`Rule ${n} permission`}
            list={listId}
            spellCheck={false}
            autoCapitalize="none"
            placeholder="read"
            value={row.permission}
            onChange={(e) => onChange({ permission: e.target.value })}
            {...invalid("permission")}
          />
        </label>
        <label className="flex min-w-0 flex-col gap-1">
          <span className={small}>Pattern</span>
          <Input
            id={`${idBase}-pattern`}
            aria-label={`Rule ${n} pattern`}
            spellCheck={false}
            autoCapitalize="none"
            placeholder="*"
            value={row.pattern}
            onChange={(e) => onChange({ pattern: e.target.value })}
            {...invalid("pattern")}
          />
        </label>
        <div className="flex min-w-0 items-end gap-2 sm:contents">
          <label className="flex min-w-0 flex-1 flex-col gap-1">
            <span className={small}>Action</span>
            <Select
              id={`${idBase}-action`}
              aria-label={`Rule ${n} action`}
              value={row.action}
              onChange={(e) => onChange({ action: parseAction(e.target.value) })}
              {...invalid("action")}
            >
              <ActionOptions />
            </Select>
          </label>
          <Button size="sm" variant="ghost" className="h-10" aria-label={`Remove rule ${n}`} onClick={onRemove}>
            Remove
          </Button>
        </div>
      </div>
      {error ? (
        <p id={errorId} role="alert" data-slot="field-error" className="text-xs text-st-failed sm:pl-10">
          ✗ {error.message}
        </p>
      ) : null}
    </li>
  );
}
