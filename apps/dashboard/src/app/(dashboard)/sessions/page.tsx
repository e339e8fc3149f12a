import type { Metadata } from "next";
import { Suspense } from "react";
import { PageSkeleton } from "@/components/ui/skeleton";
import { SessionsView } from "./components/sessions-view";

export const metadata: Metadata = { title: "Sessions" };

export default function SessionsPage() {
  return (
    <Suspense fallback={<PageSkeleton />}>
      <SessionsView />
    </Suspense>
  );
}
