/** The audit log's filters, as kept in the URL (and sent to `GET /audit` as they are: the server checks them). */
export interface AuditFilters {
  actor: string;
  action: string;
  target: string;
  /** ISO instants, as the API takes them. */
  from: string;
  to: string;
  cursor: string | null;
}

export const EMPTY_AUDIT_FILTERS: AuditFilters = { actor: "", action: "", target: "", from: "", to: "", cursor: null };

const TEXT_KEYS = ["actor", "action", "target", "from", "to"] as const;

/** Reads the filters from the URL: each one trimmed, empty ones left out. */
export function parseAuditFilters(params: URLSearchParams): AuditFilters {
  const f = { ...EMPTY_AUDIT_FILTERS };
  for (const k of TEXT_KEYS) f[k] = (params.get(k) ?? "").trim().slice(0, 500);
  f.cursor = params.get("cursor") || null;
  return f;
}

/** Writes the filters back to a query string (empty ones left out, the URL's order fixed). */
export function auditFiltersToSearch(f: AuditFilters): string {
  const p = new URLSearchParams();
  for (const k of TEXT_KEYS) if (f[k]) p.set(k, f[k]);
  if (f.cursor) p.set("cursor", f.cursor);
  return p.toString();
}

/** The API query of a filter set. */
export function auditFiltersToQuery(f: AuditFilters, limit: number) {
  const q: {
    limit: number;
    actor?: string;
    action?: string;
    target?: string;
    from?: string;
    to?: string;
    cursor?: string;
  } = { limit };
  for (const k of TEXT_KEYS) if (f[k]) q[k] = f[k];
  if (f.cursor) q.cursor = f.cursor;
  return q;
}

const pad = (n: number) => String(n).padStart(2, "0");

/** An ISO instant as a datetime-local field shows it (the browser's time zone); what is not a date is shown as it is. */
export function isoToLocalInput(iso: string): string {
  if (!iso) return "";
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** A datetime-local value (the browser's time zone) as an ISO instant; what is not a date is sent as typed, so the API names the field. */
export function localInputToIso(local: string): string {
  if (!local.trim()) return "";
  const d = new Date(local);
  return Number.isNaN(d.getTime()) ? local : d.toISOString();
}

/** An entry's actor (`user:<id>`, `key:<id>`, `anonymous`) in words, when the names are known. */
export function describeActor(actor: string, names: { keys: Map<string, string>; users: Map<string, string> }): string {
  const [kind, id] = actor.split(":", 2) as [string, string | undefined];
  if (!id) return actor;
  const name = kind === "key" ? names.keys.get(id) : kind === "user" ? names.users.get(id) : undefined;
  return name ? `${kind} ${name}` : `${kind} ${id.slice(0, 8)}…`;
}
