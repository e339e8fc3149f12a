"use client";

import type { MeView } from "@industrial/contracts";
import { useActingTenant } from "@/lib/acting-tenant";
import { useTenants } from "@/lib/queries";
import { Button } from "@/components/ui/button";
import { useSwitchTenant } from "./tenant-switcher";

/**
 * Above every page while an operator acts on another tenant: whatever is
 * created, changed or stopped lands in that tenant, so it must not be
 * forgotten in a corner of the sidebar.
 */
export function ActingBanner({ me }: { me: MeView }) {
  const chosen = useActingTenant();
  const tenants = useTenants(chosen !== null);
  const switchTo = useSwitchTenant(me);
  if (!chosen || chosen === me.homeTenantId) return null;
  const name = tenants.data?.items.find((t) => t.id === chosen)?.name ?? chosen;
  return (
    <div
      role="status"
      data-slot="acting-banner"
      className="mb-5 flex flex-wrap items-center justify-between gap-3 border-2 border-accent bg-raised px-4 py-2"
    >
      <p className="text-sm text-fg">
        <span className="label mr-2 text-accent-strong">Acting on tenant</span>
        {name}: what you create, change or stop here is that tenant&apos;s.
      </p>
      <Button size="sm" variant="ghost" onClick={() => switchTo(me.homeTenantId)}>
        Back to your own
      </Button>
    </div>
  );
}
