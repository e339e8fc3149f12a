import type { AgentView, PatchAgentBody } from "@industrial/contracts";
import { PERMISSION_ACTIONS, type PermissionAction } from "@industrial/core";
import { z } from "zod";

/*
 * An agent's OpenCode permission rules as the register and edit dialogs hold
 * them (docs/input-requests.md §3): a quick select for `edit` and `bash`, the
 * two a new user asks about, and the other rules as rows. Pure. OpenCode
 * checks the rules in order and the last one that matches wins, so the quick
 * rules go first and the rows after them: a row like `bash` `git *` `allow`
 * overrides `bash: ask` for those commands. The API judges each rule; its 400
 * names `body.permissions.<i>.<field>`, which `permissionErrorsOf` turns back
 * into the row that was sent.
 */

/** The permissions with a quick select. */
export const QUICK_PERMISSIONS = ["edit", "bash"] as const;
export type QuickPermission = (typeof QUICK_PERMISSIONS)[number];

/** What most rows name; offered as suggestions, any OpenCode permission goes. */
export const KNOWN_PERMISSIONS = [
  "read",
  "edit",
  "bash",
  "glob",
  "grep",
  "list",
  "task",
  "webfetch",
  "websearch",
  "external_directory",
  "todowrite",
  "lsp",
  "skill",
  "doom_loop",
  "*",
] as const;

/** One extra rule as typed; `key` keeps a row's state when an earlier row is removed. */
export interface PermissionRow {
  key: number;
  permission: string;
  pattern: string;
  action: PermissionAction;
}

export interface PermissionsForm {
  /** allow: no rule (the runner's default, which allows both); ask or deny: one `<permission> *` rule. */
  quick: Record<QuickPermission, PermissionAction>;
  rows: PermissionRow[];
  nextKey: number;
}

type Rules = NonNullable<PatchAgentBody["permissions"]>;

/** Where a sent rule came from: a quick select or a row (by key). */
export type RuleSource = { quick: QuickPermission } | { row: number };

const ActionSchema = z.enum(PERMISSION_ACTIONS);

/** A `<select>`'s value as an action: the DOM hands strings; anything else would be a bug in the options, so it reads as the safe `ask`. */
export const parseAction = (value: string): PermissionAction => ActionSchema.catch("ask").parse(value);

const isQuick = (p: string): p is QuickPermission => (QUICK_PERMISSIONS as readonly string[]).includes(p);

/**
 * The form for an agent's rules; without them, a new agent's (none). Only
 * the leading `edit *` / `bash *` rules that ask or deny become quick selects:
 * moving a later one to the front could change which rule wins, and an
 * `allow` one stays a row so saving never drops a rule the agent had.
 * Everything else stays a row, in order, so an unchanged form saves the same
 * rules (the leading quick ones as edit, then bash: they never match the same request).
 */
export function toPermissionsForm(rules: AgentView["permissions"] = []): PermissionsForm {
  const quick: PermissionsForm["quick"] = { edit: "allow", bash: "allow" };
  let lead = 0;
  for (const r of rules) {
    if (!isQuick(r.permission) || r.pattern !== "*" || r.action === "allow" || quick[r.permission] !== "allow") break;
    quick[r.permission] = r.action;
    lead++;
  }
  const rows = rules
    .slice(lead)
    .map((r, key) => ({ key, permission: r.permission, pattern: r.pattern, action: r.action }));
  return { quick, rows, nextKey: rows.length };
}

/** A new row: any pattern, and `ask`, the reason to add a rule from here. */
export function addRow(f: PermissionsForm): PermissionsForm {
  return {
    ...f,
    rows: [...f.rows, { key: f.nextKey, permission: "", pattern: "*", action: "ask" }],
    nextKey: f.nextKey + 1,
  };
}

export function removeRow(f: PermissionsForm, key: number): PermissionsForm {
  return { ...f, rows: f.rows.filter((r) => r.key !== key) };
}

export function updateRow(
  f: PermissionsForm,
  key: number,
  change: Partial<Omit<PermissionRow, "key">>,
): PermissionsForm {
  return { ...f, rows: f.rows.map((r) => (r.key === key ? { ...r, ...change } : r)) };
}

/**
 * The request's `permissions` (the whole list: PATCH replaces it) and where
 * each entry came from. Rows go as typed, trimmed, so the API names a bad
 * one; an empty pattern is left out and the API makes it `*`.
 */
export function toPermissionsChange(f: PermissionsForm): { permissions: Rules; sources: RuleSource[] } {
  const permissions: Rules = [];
  const sources: RuleSource[] = [];
  for (const p of QUICK_PERMISSIONS) {
    if (f.quick[p] === "allow") continue;
    permissions.push({ permission: p, pattern: "*", action: f.quick[p] });
    sources.push({ quick: p });
  }
  for (const r of f.rows) {
    const pattern = r.pattern.trim();
    permissions.push({ permission: r.permission.trim(), ...(pattern ? { pattern } : {}), action: r.action });
    sources.push({ row: r.key });
  }
  return { permissions, sources };
}

/** The group's errors: the list's own (too many), each quick select's, and each row's by key. */
export interface PermissionErrors {
  list?: string;
  quick: Partial<Record<QuickPermission, string>>;
  rows: Record<number, { message: string; field?: "permission" | "pattern" | "action" }>;
}

/** The rules last sent, as `toPermissionsChange` made them. */
export type SentPermissions = ReturnType<typeof toPermissionsChange>;

/**
 * The API's errors for the rules, placed where they were typed: entry `i` of
 * the list sent is the quick select or the row `sources[i]` names, and a row's
 * message says which rule it is (`rule 2 (Bash git *): permission: must be…`),
 * numbered as the rows stand in the dialog and quoting the rule as it was
 * sent (the row may have been fixed since). A row removed since is not shown.
 */
export function permissionErrorsOf(
  fields: Record<string, string>,
  sent: SentPermissions | undefined,
  f: PermissionsForm,
): PermissionErrors {
  const { permissions = [], sources = [] } = sent ?? {};
  const out: PermissionErrors = { quick: {}, rows: {} };
  if (fields.permissions) out.list = fields.permissions;
  for (const [key, reason] of Object.entries(fields)) {
    const m = /^permissions\.(\d+)(?:\.(\w+))?$/.exec(key);
    if (!m) continue;
    const source = sources[Number(m[1])];
    if (!source) {
      out.list ??= `rule ${Number(m[1]) + 1}: ${reason}`;
      continue;
    }
    if ("quick" in source) {
      out.quick[source.quick] ??= reason;
      continue;
    }
    const at = f.rows.findIndex((r) => r.key === source.row);
    const row = f.rows[at];
    if (!row || out.rows[row.key]) continue;
    const field = m[2] === "permission" || m[2] === "pattern" || m[2] === "action" ? m[2] : undefined;
    const was = permissions[Number(m[1])];
    const named = was?.permission
      ? ` (${was.permission}${was.pattern && was.pattern !== "*" ? ` ${was.pattern}` : ""})`
      : "";
    out.rows[row.key] = {
      message: `rule ${at + 1}${named}: ${field ? `${field}: ` : ""}${reason}`,
      ...(field ? { field } : {}),
    };
  }
  return out;
}
