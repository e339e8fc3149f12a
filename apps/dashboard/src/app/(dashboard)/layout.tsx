import type { ReactNode } from "react";
import { Shell } from "@/components/shell/shell";

/** Every page of the dashboard sits in the shell: sidebar, live feed, and nothing until /me says who is signed in. */
export default function DashboardLayout({ children }: { children: ReactNode }) {
  return <Shell>{children}</Shell>;
}
