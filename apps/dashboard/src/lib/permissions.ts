import { routeAccess, type MeView, type RouteName } from "@industrial/contracts";
import { canControl, isOperatorAdmin, isRoleAtLeast } from "@industrial/core";

/**
 * What the caller may do, decided the way the server decides it: the role
 * from /me against the route's row of the one access table. The dashboard
 * uses it to leave out the buttons a role cannot use; the server still
 * checks every request (and answers 403 for what this cannot know, such as a
 * member's control of a task it did not create).
 */
export interface Permissions {
  /** Whether the role reaches the route (false until /me has answered). */
  can(route: RouteName): boolean;
  /** Whether the caller may control a session created by `createdBy` (a member only its own). */
  canControl(createdBy: string | null): boolean;
  /** An admin of the default tenant: may act on other tenants. */
  operator: boolean;
}

export function computePermissions(me: MeView | null | undefined): Permissions {
  if (!me) return { can: () => false, canControl: () => false, operator: false };
  return {
    can: (route) => {
      const needed = routeAccess[route];
      return needed === "public" || isRoleAtLeast(me.role, needed);
    },
    canControl: (createdBy) => canControl(me, createdBy),
    operator: isOperatorAdmin(me),
  };
}
