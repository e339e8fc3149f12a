"use client";

import type { CallInput, Routes } from "@industrial/contracts";
import { useMemo, useSyncExternalStore } from "react";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { getApi } from "./api";
import { isFeedLive, subscribeFeed } from "./connection";
import { computePermissions, type Permissions } from "./permissions";

import { qk } from "./query-keys";

export { qk };

/**
 * How often views poll while the live feed is down. While it is up, frames
 * mark what changed stale (components/shell/live-updates.tsx and the detail
 * pages' own rooms) and views do not poll at all; when it drops, polling
 * carries the page alone, and when it returns everything is read once.
 */
export const POLL_MS = { fast: 1000, normal: 3000, slow: 10_000 } as const;

/** Whether the app's live feed (`/ws/system`) is open; re-renders when it opens or drops. */
export function useFeedLive(): boolean {
  return useSyncExternalStore(subscribeFeed, isFeedLive, () => false);
}

/** The refetch interval of data the live feed announces: none while the feed is up, `ms` while it is down. */
export function usePoll(ms: number): number | false {
  return useFeedLive() ? false : ms;
}

/**
 * For data no frame announces (tenants, users, keys, audit): a slow safety
 * net while the feed is up, `ms` while it is down.
 */
export function pollEvery(ms: number): () => number {
  return () => (isFeedLive() ? Math.max(ms * 5, 15_000) : ms);
}

export type SessionsQuery = NonNullable<CallInput<Routes["listSessions"]>["query"]>;

export function useSessionStats() {
  return useQuery({
    queryKey: qk.sessionStats,
    queryFn: () => getApi().call("sessionStats"),
    refetchInterval: usePoll(POLL_MS.normal),
  });
}

export function useSessions(query: SessionsQuery, options: { poll?: number } = {}) {
  return useQuery({
    queryKey: qk.sessions(query),
    queryFn: () => getApi().call("listSessions", { query }),
    refetchInterval: usePoll(options.poll ?? POLL_MS.normal),
    placeholderData: keepPreviousData,
  });
}

export function useAgents(query: Record<string, unknown> = {}) {
  return useQuery({
    queryKey: qk.agents(query),
    queryFn: () => getApi().call("listAgents", { query: { limit: 200, ...query } }),
    refetchInterval: usePoll(POLL_MS.normal),
    placeholderData: keepPreviousData,
  });
}

export function useAgentStats() {
  return useQuery({
    queryKey: qk.agentStats,
    queryFn: () => getApi().call("agentStats"),
    refetchInterval: usePoll(POLL_MS.normal),
  });
}

/** Runners' memory and load move without a frame (only health changes and session ends announce them): the safety net stays. */
export function useRunners() {
  return useQuery({
    queryKey: qk.runners,
    queryFn: () => getApi().call("listRunners", { query: { limit: 200 } }),
    refetchInterval: pollEvery(POLL_MS.normal),
  });
}

export function useReadiness() {
  return useQuery({
    queryKey: qk.ready,
    queryFn: () => getApi().call("ready"),
    refetchInterval: POLL_MS.slow,
    retry: false,
  });
}

/** Every tenant the caller may see (an admin's call: pass `enabled` false for other roles). */
export function useTenants(enabled = true) {
  return useQuery({
    queryKey: qk.tenants,
    queryFn: () => getApi().call("listTenants", { query: { limit: 200 } }),
    enabled,
    refetchInterval: pollEvery(POLL_MS.slow),
  });
}

/** This month's use of a tenant; session frames make it stale (components/shell/live-updates.tsx). */
export function useTenantUsage(id: string) {
  return useQuery({
    queryKey: qk.tenantUsage(id),
    queryFn: () => getApi().call("tenantUsage", { params: { id } }),
    refetchInterval: usePoll(POLL_MS.normal),
  });
}

/**
 * The caller (role, tenant, key, whether authentication is on). The shell
 * waits for it before rendering a page, so a signed-out visit costs one 401.
 */
export function useMe() {
  return useQuery({
    queryKey: qk.me,
    queryFn: () => getApi().call("me"),
    staleTime: 60_000,
    refetchInterval: 60_000,
    retry: false,
  });
}

/** What the caller's role allows (lib/permissions.ts): views leave out what it cannot do. */
export function useAccess(): Permissions & { me: ReturnType<typeof useMe>["data"] } {
  const me = useMe().data;
  return useMemo(() => ({ ...computePermissions(me), me }), [me]);
}

/** One tenant (every role reads its own; listing tenants is the admin's). */
export function useTenant(id: string | undefined) {
  return useQuery({
    queryKey: qk.tenant(id ?? ""),
    queryFn: () => getApi().call("getTenant", { params: { id: id! } }),
    enabled: Boolean(id),
    refetchInterval: pollEvery(POLL_MS.slow),
  });
}

export function useUsers(enabled = true) {
  return useQuery({
    queryKey: qk.users,
    queryFn: () => getApi().call("listUsers", { query: { limit: 200 } }),
    enabled,
    refetchInterval: pollEvery(POLL_MS.slow),
  });
}

/** Every key of the tenant, revoked and expired ones too (the table says which). */
export function useApiKeys(enabled = true) {
  return useQuery({
    queryKey: qk.apiKeys,
    queryFn: () => getApi().call("listApiKeys", { query: { limit: 200, all: "true" } }),
    enabled,
    refetchInterval: pollEvery(POLL_MS.slow),
  });
}

export type InboxQuery = NonNullable<CallInput<Routes["listInbox"]>["query"]>;

/** How many requests wait for an answer (the nav's badge): the inbox's total; its frames make it stale (live-updates.tsx). */
export function useInboxCount(enabled = true) {
  return useQuery({
    queryKey: qk.inboxCount,
    queryFn: async () => (await getApi().call("listInbox", { query: { limit: 1 } })).total,
    enabled,
    refetchInterval: usePoll(POLL_MS.normal),
  });
}

export type AuditQuery = NonNullable<CallInput<Routes["listAudit"]>["query"]>;

export function useAudit(query: AuditQuery, enabled = true) {
  return useQuery({
    queryKey: qk.audit(query),
    queryFn: () => getApi().call("listAudit", { query }),
    enabled,
    refetchInterval: pollEvery(POLL_MS.normal),
    placeholderData: keepPreviousData,
    retry: false,
  });
}
