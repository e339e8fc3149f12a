"use client";

import type { MeView } from "@industrial/contracts";
import { useQueryClient } from "@tanstack/react-query";
import { usePathname, useRouter } from "next/navigation";
import { actingTenant, useActingTenant } from "@/lib/acting-tenant";
import { cn } from "@/lib/cn";
import { useTenants } from "@/lib/queries";
import { Select } from "@/components/ui/input";

/**
 * The tenant an admin of the default tenant acts on (only they see this):
 * every API call then carries `X-Tenant-Id` and every socket `?tenantId=`.
 * Switching drops what was loaded for the previous tenant and leaves a
 * detail page for its list (the row belongs to the tenant left behind).
 */
export function TenantSwitcher({ me }: { me: MeView }) {
  const tenants = useTenants();
  const chosen = useActingTenant();
  const choose = useSwitchTenant(me);
  const value = chosen ?? me.homeTenantId;
  const elsewhere = value !== me.homeTenantId;
  const items = tenants.data?.items ?? [];

  return (
    <div data-slot="tenant-switcher" data-acting={elsewhere ? "other" : "home"} className="flex flex-col gap-1.5">
      <label htmlFor="tenant-switcher" className={cn("label", elsewhere ? "text-accent-strong" : "text-subtle")}>
        {elsewhere ? "Acting on tenant" : "Tenant"}
      </label>
      <Select
        id="tenant-switcher"
        value={value}
        onChange={(e) => choose(e.target.value)}
        disabled={!tenants.data}
        className="h-9 text-xs"
      >
        {items.length === 0 ? (
          <option value={value}>{tenants.isError ? "tenants unavailable" : "loading…"}</option>
        ) : null}
        {items.map((t) => (
          <option key={t.id} value={t.id}>
            {t.name}
            {t.id === me.homeTenantId ? " (yours)" : ""}
          </option>
        ))}
      </Select>
    </div>
  );
}

/** Acts on tenant `id` from now on (the key's own: no header at all); what was loaded for the other one is dropped. */
export function useSwitchTenant(me: MeView): (id: string) => void {
  const qc = useQueryClient();
  const router = useRouter();
  const pathname = usePathname();
  return (id: string) => {
    actingTenant.set(id === me.homeTenantId ? null : id);
    void qc.resetQueries();
    const section = `/${pathname.split("/")[1] ?? ""}`;
    if (section !== pathname) router.push(section);
  };
}
