import type { Metadata } from "next";
import { Suspense } from "react";
import { RowsSkeleton } from "@/components/ui/skeleton";
import { AuditView } from "./components/audit-view";

export const metadata: Metadata = { title: "Audit log" };

export default function AuditPage() {
  return (
    <Suspense fallback={<RowsSkeleton rows={8} />}>
      <AuditView />
    </Suspense>
  );
}
