import { canControl, ForbiddenError } from "@industrial/core";
import type { ServiceDeps } from "./deps";

/**
 * A member controls only the sessions and tasks it created (the user, else
 * the key); a lead or admin any of its tenant's. The row has already been
 * found in the caller's tenant, so refusing here says nothing about another
 * tenant's rows.
 */
export function assertCanControl(
  deps: Pick<ServiceDeps, "caller">,
  row: { createdBy: string | null },
  what: string,
): void {
  if (!canControl(deps.caller, row.createdBy))
    throw new ForbiddenError(
      `${what} was created by someone else: a member controls only its own; a lead or admin may control any`,
    );
}
