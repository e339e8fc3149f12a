/** `paused`: the lease and slot were handed back, the OpenCode session is kept for resume. */
import type { AttemptUsage } from "./model-usage";

export const ATTEMPT_STATUSES = ["running", "paused", "succeeded", "failed", "abandoned"] as const;
export type AttemptStatus = (typeof ATTEMPT_STATUSES)[number];

/** How long a lease lasts, and how often its holder renews it. */
export const LEASE_SECONDS = 30;
export const LEASE_RENEW_SECONDS = 10;

/**
 * One execution of a session. The lease says which replica runs it until
 * when; the fencing token (monotonic per session) is carried by every write
 * the holder makes, so a replica that lost the lease cannot overwrite the new
 * owner's work.
 */
export interface Attempt {
  id: string;
  sessionId: string;
  number: number;
  fencingToken: number;
  leaseOwner: string | null;
  leaseExpiresAt: string | null;
  runnerId: string | null;
  agentId: string | null;
  openCodeSessionId: string | null;
  usage: AttemptUsage | null;
  status: AttemptStatus;
  startedAt: string;
  finishedAt: string | null;
  error: { code: string; message: string; retryable: boolean } | null;
}
