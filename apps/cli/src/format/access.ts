import type { ApiKeyCreatedView, ApiKeyView, AuditEntryView, MeView, UserView } from "@industrial/contracts";
import type { CredentialSource } from "../credential-choice";
import type { Colors } from "./colors";
import { renderPairs, renderTable, type Pair } from "./table";
import { formatAge, shortId, truncate } from "./text";

const TARGET_COLUMNS = 60;

/** `5m ago`; the past relative to `now`. */
const ago = (iso: string, now: Date) => `${formatAge(iso, now)} ago`;

/**
 * The public part of a key as people see it at the start of the key itself
 * (`io_abcdefghijkl`). A key set by ORCHESTRATOR_ADMIN_KEY has no prefix of
 * its own (its listed prefix is derived from its hash), so it shows as-is.
 */
export function formatKeyPrefix(prefix: string): string {
  return /^[a-z2-7]{12}$/.test(prefix) ? `io_${prefix}` : prefix;
}

/** When a key stops working: `never`, `in 29d`, or `expired 2d ago` (in red). */
export function formatExpiry(expiresAt: string | null, now: Date, c: Colors): string {
  if (!expiresAt) return c.gray("never");
  if (Date.parse(expiresAt) <= now.getTime()) return c.red(`expired ${ago(expiresAt, now)}`);
  return `in ${formatAge(now.toISOString(), new Date(expiresAt))}`;
}

/** The `keys ls` table: id prefix, name, role, key prefix, created, last used, expires, revoked. */
export function formatApiKeyTable(keys: readonly ApiKeyView[], c: Colors, now: Date): string {
  const rows = keys.map((k) => [
    shortId(k.id),
    c.bold(truncate(k.name, 40)),
    k.role,
    formatKeyPrefix(k.prefix),
    ago(k.createdAt, now),
    k.lastUsedAt ? ago(k.lastUsedAt, now) : c.gray("never"),
    formatExpiry(k.expiresAt, now, c),
    k.revokedAt ? c.red(ago(k.revokedAt, now)) : c.gray("-"),
  ]);
  const columns = ["ID", "NAME", "ROLE", "PREFIX", "CREATED", "LAST USED", "EXPIRES", "REVOKED"].map((header) => ({
    header,
  }));
  return renderTable(columns, rows, c.dim);
}

/**
 * What `keys create` prints: the key alone on its own line (so it can be
 * selected and copied whole), what it is, and that it will not be shown again.
 */
export function formatApiKeyCreated(k: ApiKeyCreatedView, c: Colors, now: Date): string {
  const pairs: Pair[] = [
    ["id", k.id],
    ["name", k.name],
    ["role", k.role],
    ["tenant", k.tenantId],
    ["user", k.userId],
    ["prefix", formatKeyPrefix(k.prefix)],
    ["expires", k.expiresAt ? `${k.expiresAt} (${formatExpiry(k.expiresAt, now, c)})` : c.gray("never")],
  ];
  return [`created API key ${c.bold(k.name)}`, "", `  ${k.key}`, "", renderPairs(pairs, c.dim)].join("\n");
}

/** The warning that goes with a new key, on stderr. */
export function formatKeyShownOnceWarning(c: Colors): string {
  return c.yellow(
    "warning: this key is shown now and never again (only its hash is kept): store it now, e.g. `orchestrator login --key-stdin` or your secret store",
  );
}

/** The `users ls` table: id prefix, name, email, role, created. */
export function formatUserTable(users: readonly UserView[], c: Colors, now: Date): string {
  const rows = users.map((u) => [shortId(u.id), c.bold(truncate(u.name, 40)), u.email, u.role, ago(u.createdAt, now)]);
  return renderTable(
    ["ID", "NAME", "EMAIL", "ROLE", "CREATED"].map((header) => ({ header })),
    rows,
    c.dim,
  );
}

/** One user on one line, for `users add` and `users set`. */
export function formatUserLine(u: UserView, c: Colors): string {
  return `${c.bold(u.name)} <${u.email}>, ${u.role} ${c.gray(`(${u.id})`)}`;
}

/** `key:<uuid>` → `key:1a2b3c4d`: the audit table's actor column stays narrow; --json keeps the whole id. */
export function formatActor(actor: string): string {
  const m = /^(key|user):([0-9a-f-]{36})$/.exec(actor);
  return m ? `${m[1]}:${shortId(m[2] as string)}` : actor;
}

/** `POST /api/v1/sessions/<uuid>/stop` with each UUID cut to its 8-digit prefix (which the CLI's commands take), then to the column. */
export function formatTarget(target: string): string {
  return truncate(
    target.replace(/\b([0-9a-f]{8})-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/g, "$1"),
    TARGET_COLUMNS,
  );
}

function paintStatus(status: number, c: Colors): string {
  const s = String(status);
  return status >= 500 ? c.red(s) : status >= 400 ? c.yellow(s) : c.green(s);
}

/** `2026-11-22 03:25:23` in UTC, like the server's logs. */
function formatUtc(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toISOString().slice(0, 19).replace("T", " ");
}

/** The `audit` table, newest first: time (UTC), actor, action, target, status, request id. */
export function formatAuditTable(entries: readonly AuditEntryView[], c: Colors): string {
  const rows = entries.map((e) => [
    formatUtc(e.at),
    formatActor(e.actor),
    e.action,
    formatTarget(e.target),
    paintStatus(e.status, c),
    c.gray(e.requestId),
  ]);
  const columns = [
    { header: "TIME (UTC)" },
    { header: "ACTOR" },
    { header: "ACTION" },
    { header: "TARGET" },
    { header: "STATUS", align: "right" as const },
    { header: "REQUEST" },
  ];
  return renderTable(columns, rows, c.dim);
}

const SOURCE_TEXT: Record<CredentialSource, string> = {
  "--token": "--token",
  ORCHESTRATOR_TOKEN: "ORCHESTRATOR_TOKEN",
  login: "stored by `orchestrator login`",
  none: "none",
};

/** `whoami`: the server, the tenant acted in (and the key's own when they differ), role, key, user, where the key came from. */
export function formatMe(
  me: MeView,
  at: { url: string; source: CredentialSource | undefined; credentialsPath: string },
  c: Colors,
): string {
  const source = at.source ? SOURCE_TEXT[at.source] : "none";
  const pairs: Pair[] = [
    ["server", at.url],
    ["tenant", me.tenantId],
    [
      "home tenant",
      me.homeTenantId === me.tenantId
        ? null
        : `${me.homeTenantId} ${c.gray("(the key's own; --tenant chose the one above)")}`,
    ],
    ["role", c.bold(me.role)],
    ["key", me.keyId ?? c.gray("-")],
    ["user", me.userId ?? c.gray("-")],
    ["credentials", at.source === "login" ? `${source} ${c.gray(`(${at.credentialsPath})`)}` : source],
    ["auth", me.authEnabled ? null : c.yellow("off on this server (ORCHESTRATOR_AUTH=off): every caller is an admin")],
  ];
  return renderPairs(pairs, c.dim);
}
