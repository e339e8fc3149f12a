import type { Metadata } from "next";
import { Suspense } from "react";
import { PageSkeleton } from "@/components/ui/skeleton";
import { ContextsView } from "./components/contexts-view";

export const metadata: Metadata = { title: "Contexts" };

export default function ContextsPage() {
  return (
    <Suspense fallback={<PageSkeleton />}>
      <ContextsView />
    </Suspense>
  );
}
