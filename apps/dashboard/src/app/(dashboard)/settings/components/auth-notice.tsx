import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { toneBg } from "@/components/ui/tone";

/**
 * What this install does not have yet, said plainly: no authentication, so
 * no API keys and no users to manage (spec: they arrive with the security
 * issue). No placeholder tables, no buttons that do nothing.
 */
export function AuthNotice() {
  return (
    <Card className="relative" data-slot="auth-notice">
      <span aria-hidden className={`absolute inset-y-0 left-0 w-1.5 ${toneBg.degraded}`} />
      <CardHeader title="Authentication, API keys and users" className="pl-5" />
      <CardBody className="flex flex-col gap-2 pl-5 text-sm">
        <p className="label text-st-degraded">Authentication is off in this install</p>
        <p className="max-w-prose text-fg">
          Every request — from this dashboard, the CLI or the API — is accepted without a key and acts in the default tenant with full rights. Keep the
          orchestrator&apos;s port on a trusted network.
        </p>
        <p className="max-w-prose text-muted">
          API keys (shown once, stored as a hash, each with a tenant and a role) and users with roles (admin, lead, member, viewer) arrive with
          authentication. Until then there are none to list or create, and tenants other than the default one receive no work.
        </p>
      </CardBody>
    </Card>
  );
}
