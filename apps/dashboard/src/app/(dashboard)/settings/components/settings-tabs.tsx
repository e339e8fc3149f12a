"use client";

import type { RouteName } from "@industrial/contracts";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { cn } from "@/lib/cn";
import { useAccess } from "@/lib/queries";

const TABS: { href: string; label: string; route: RouteName }[] = [
  { href: "/settings", label: "Tenants & access", route: "getTenant" },
  { href: "/settings/users", label: "Users", route: "listUsers" },
  { href: "/settings/api-keys", label: "API keys", route: "listApiKeys" },
  { href: "/settings/audit", label: "Audit log", route: "listAudit" },
];

/** The settings pages the caller's role may open (users and keys: admin; the audit log: lead). */
export function SettingsTabs() {
  const pathname = usePathname();
  const access = useAccess();
  return (
    // The line under the tabs is outside the scroller: a phone scrolls the tabs sideways rather than wrapping them.
    <div className="border-b-2 border-line">
      <nav aria-label="Settings" className="flex gap-x-1 overflow-x-auto">
        {TABS.filter((t) => access.can(t.route)).map((t) => {
          const active = pathname === t.href;
          return (
            <Link
              key={t.href}
              href={t.href}
              aria-current={active ? "page" : undefined}
              className={cn(
                "shrink-0 border-b-4 px-3 py-2 whitespace-nowrap text-xs font-bold tracking-[0.12em] uppercase",
                active
                  ? "border-accent text-fg"
                  : "border-transparent text-muted hover:border-line-strong hover:text-fg",
              )}
            >
              {t.label}
            </Link>
          );
        })}
      </nav>
    </div>
  );
}
