import type { ReactNode } from "react";
import { PageHeader } from "@/components/ui/page-header";
import { SettingsTabs } from "./components/settings-tabs";

/** Settings: the tenants, who may do what (users, API keys), and what was done (the audit log). */
export default function SettingsLayout({ children }: { children: ReactNode }) {
  return (
    <div className="flex flex-col gap-5">
      <PageHeader title="Settings" description="Tenants and their limits, who may do what, and what was done." />
      <SettingsTabs />
      {children}
    </div>
  );
}
