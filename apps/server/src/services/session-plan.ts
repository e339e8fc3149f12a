import {
  assertNever,
  ConflictError,
  InvalidTransitionError,
  planSessionAction,
  type DomainError,
  type Session,
  type SessionActionPlan,
  type SessionActionRefusal,
  type SessionControl,
} from "@industrial/core";

/** A refusal of core's `planSessionAction` as the domain error the HTTP edge maps (409 for both codes). */
export function sessionActionError(r: SessionActionRefusal): DomainError {
  switch (r.code) {
    case "INVALID_TRANSITION":
      return new InvalidTransitionError(r.from, r.to);
    case "CONFLICT":
      return new ConflictError(r.message, r.suggestion ? { suggestion: r.suggestion } : {});
    default:
      return assertNever(r);
  }
}

/** What `action` means for `s` now (core decides); throws the refusal as a domain error. */
export function planOrRefuse(
  s: Pick<Session, "status" | "requestedAction">,
  action: SessionControl,
): SessionActionPlan {
  const plan = planSessionAction({ status: s.status, requestedAction: s.requestedAction, action });
  if (plan.kind === "refused") throw sessionActionError(plan);
  return plan;
}

/** A plan of a kind the caller does not carry out: core and the service disagree, a bug (500). */
export function unexpectedPlan(action: SessionControl, plan: SessionActionPlan): Error {
  return new Error(`planSessionAction gave a ${plan.kind} plan for ${action}`);
}
