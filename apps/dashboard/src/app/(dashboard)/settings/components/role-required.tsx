import type { Role } from "@industrial/core";
import { RoleBadge } from "@/components/ui/badge";

/** A settings page the caller's role does not open: said plainly, with no request made for it (it would be a 403). */
export function RoleRequired({ role, what, yours }: { role: Role; what: string; yours: string }) {
  return (
    <div
      data-slot="role-required"
      className="flex flex-col items-start gap-3 border-2 border-dashed border-line px-6 py-10"
    >
      <p className="label flex items-center gap-2 text-fg">
        Needs the <RoleBadge role={role} /> role
      </p>
      <p className="max-w-prose text-sm text-muted">
        {what} Your key is <span className="text-fg">{yours}</span>; sign in with a key of a wider role to open it.
      </p>
    </div>
  );
}
