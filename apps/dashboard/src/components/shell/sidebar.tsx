"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { useEffect, useState } from "react";
import { cn } from "@/lib/cn";
import { useAccess, useInboxCount } from "@/lib/queries";
import { AccountPanel } from "./account-panel";
import { ConnectionIndicator } from "./connection-indicator";
import { TenantSwitcher } from "./tenant-switcher";

/** The pages in the nav: only finished pages are listed. */
export const NAV = [
  { href: "/", label: "Overview", key: "01" },
  { href: "/sessions", label: "Sessions", key: "02" },
  { href: "/inbox", label: "Inbox", key: "03" },
  { href: "/agents", label: "Agents", key: "04" },
  { href: "/tasks", label: "Tasks", key: "05" },
  { href: "/runners", label: "Runners", key: "06" },
  { href: "/contexts", label: "Contexts", key: "07" },
  { href: "/settings", label: "Settings", key: "08" },
] as const;

/** The count of requests waiting, beside the Inbox entry: filled in the accent, so it is seen from any page. */
function InboxBadge({ count }: { count: number }) {
  return (
    <span
      data-slot="inbox-count"
      className="num ml-auto border-2 border-accent bg-accent px-1.5 text-[11px] leading-4 text-ink"
    >
      {count > 99 ? "99+" : count}
      <span className="sr-only"> waiting for an answer</span>
    </span>
  );
}

function isActive(pathname: string, href: string) {
  return href === "/" ? pathname === "/" : pathname === href || pathname.startsWith(`${href}/`);
}

/**
 * The left rail: brand, nav, the tenant switcher (admins of the default
 * tenant only), who is signed in with Sign out, the connection indicator. On
 * a phone it folds into a top bar with a menu button.
 */
export function Sidebar() {
  const pathname = usePathname();
  const { me, operator, can } = useAccess();
  // The Inbox's badge: requests waiting for a person, live over the inbox room (live-updates.tsx).
  const waiting = useInboxCount(can("listInbox")).data ?? 0;
  const [open, setOpen] = useState(false);
  useEffect(() => setOpen(false), [pathname]);
  return (
    <aside className="sticky top-0 z-30 flex shrink-0 flex-col border-b-2 border-line bg-bg md:h-dvh md:w-60 md:border-r-2 md:border-b-0">
      <div className="flex items-center justify-between gap-2 px-4 py-3 md:block md:border-b-2 md:border-line md:py-4">
        <Link href="/" className="block">
          <span className="block text-base leading-tight font-bold tracking-[0.2em] text-fg">INDUSTRIAL</span>
          <span className="label block text-accent-strong">Orchestrator</span>
        </Link>
        <button
          type="button"
          className="label border-2 border-line px-3 py-2 text-fg md:hidden"
          aria-expanded={open}
          aria-controls="main-nav"
          onClick={() => setOpen((o) => !o)}
        >
          {open ? "Close" : "Menu"}
        </button>
      </div>
      <div id="main-nav" className={cn("flex-1 flex-col justify-between md:flex", open ? "flex" : "hidden")}>
        <nav aria-label="Main" className="flex flex-col py-2">
          {NAV.map((n) => {
            const active = isActive(pathname, n.href);
            return (
              <Link
                key={n.href}
                href={n.href}
                onClick={() => setOpen(false)}
                aria-current={active ? "page" : undefined}
                className={cn(
                  "group flex items-center gap-3 border-l-4 px-4 py-2.5 text-sm font-bold tracking-[0.12em] uppercase",
                  active
                    ? "border-accent bg-raised text-fg"
                    : "border-transparent text-muted hover:border-line-strong hover:text-fg",
                )}
              >
                <span className={cn("num text-[11px]", active ? "text-accent-strong" : "text-subtle")}>{n.key}</span>
                {n.label}
                {n.href === "/inbox" && waiting > 0 ? <InboxBadge count={waiting} /> : null}
              </Link>
            );
          })}
        </nav>
        <div className="flex flex-col gap-2 border-t-2 border-line p-4">
          {me && operator ? <TenantSwitcher me={me} /> : null}
          {me ? <AccountPanel me={me} /> : null}
          <ConnectionIndicator />
          <a href="/docs" className="label text-subtle hover:text-fg">
            API docs ↗
          </a>
        </div>
      </div>
    </aside>
  );
}
