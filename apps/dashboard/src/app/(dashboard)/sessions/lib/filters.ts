import {
  PRIORITIES,
  SESSION_STATUSES,
  SESSION_TYPES,
  type Priority,
  type SessionStatus,
  type SessionType,
} from "@industrial/core";

export const SESSION_SORTS = ["-createdAt", "createdAt", "-statusUpdatedAt", "statusUpdatedAt"] as const;
export type SessionSort = (typeof SESSION_SORTS)[number];

/** The sessions list's filters, as kept in the URL. */
export interface SessionFilters {
  status: SessionStatus[];
  priority: Priority[];
  type: SessionType[];
  agentId: string | null;
  q: string;
  sort: SessionSort;
  cursor: string | null;
}

export const EMPTY_FILTERS: SessionFilters = {
  status: [],
  priority: [],
  type: [],
  agentId: null,
  q: "",
  sort: "-createdAt",
  cursor: null,
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function list<T extends string>(params: URLSearchParams, key: string, allowed: readonly T[]): T[] {
  const raw = params.getAll(key).flatMap((v) => v.split(","));
  return allowed.filter((a) => raw.includes(a));
}

/** Reads filters from the URL; unknown values are dropped, never sent to the API. */
export function parseFilters(params: URLSearchParams): SessionFilters {
  const sort = params.get("sort");
  const agentId = params.get("agent");
  return {
    status: list(params, "status", SESSION_STATUSES),
    priority: list(params, "priority", PRIORITIES),
    type: list(params, "type", SESSION_TYPES),
    agentId: agentId && UUID.test(agentId) ? agentId : null,
    q: (params.get("q") ?? "").slice(0, 200),
    sort: SESSION_SORTS.includes(sort as SessionSort) ? (sort as SessionSort) : "-createdAt",
    cursor: params.get("cursor") || null,
  };
}

/** Writes filters back to a query string (defaults left out, lists comma-joined). */
export function filtersToSearch(f: SessionFilters): string {
  const p = new URLSearchParams();
  if (f.status.length) p.set("status", f.status.join(","));
  if (f.priority.length) p.set("priority", f.priority.join(","));
  if (f.type.length) p.set("type", f.type.join(","));
  if (f.agentId) p.set("agent", f.agentId);
  if (f.q) p.set("q", f.q);
  if (f.sort !== "-createdAt") p.set("sort", f.sort);
  if (f.cursor) p.set("cursor", f.cursor);
  return p.toString().replace(/%2C/g, ",");
}

/** The API query of a filter set. */
export function filtersToQuery(f: SessionFilters, limit: number) {
  return {
    limit,
    sort: f.sort,
    ...(f.status.length ? { status: f.status } : {}),
    ...(f.priority.length ? { priority: f.priority } : {}),
    ...(f.type.length ? { type: f.type } : {}),
    ...(f.agentId ? { agentId: f.agentId } : {}),
    ...(f.q ? { q: f.q } : {}),
    ...(f.cursor ? { cursor: f.cursor } : {}),
  };
}

/** Clicking a column header: the same column flips direction, another column starts descending. */
export function nextSort(current: SessionSort, column: "createdAt" | "statusUpdatedAt"): SessionSort {
  if (current === `-${column}`) return column;
  return `-${column}`;
}
