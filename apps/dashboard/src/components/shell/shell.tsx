"use client";

import { ApiError } from "@industrial/contracts";
import type { ReactNode } from "react";
import { useMe } from "@/lib/queries";
import { ErrorPanel } from "@/components/ui/error-panel";
import { PageSkeleton } from "@/components/ui/skeleton";
import { ActingBanner } from "./acting-banner";
import { LiveUpdates } from "./live-updates";
import { Sidebar } from "./sidebar";

/**
 * The dashboard's frame. Pages render once /me has answered: signed out, the
 * one 401 sends the person to sign in (lib/api.ts) before any page asks for
 * its data or opens a socket; signed in, every view knows the role that
 * decides its buttons from its first paint.
 */
export function Shell({ children }: { children: ReactNode }) {
  const me = useMe();
  // A 401 is already on its way to the sign-in page: keep the skeleton rather than flash an error.
  const signedOut = me.error instanceof ApiError && me.error.status === 401;
  return (
    <div className="flex min-h-dvh flex-col md:flex-row">
      <Sidebar />
      <main id="main" className="min-w-0 flex-1 px-4 py-5 md:px-8 md:py-7">
        {me.data ? (
          <>
            <ActingBanner me={me.data} />
            {children}
          </>
        ) : me.isError && !signedOut ? (
          <ErrorPanel title="Could not tell who is signed in" error={me.error} onRetry={() => me.refetch()} />
        ) : (
          <PageSkeleton />
        )}
      </main>
      {me.data ? <LiveUpdates /> : null}
    </div>
  );
}
