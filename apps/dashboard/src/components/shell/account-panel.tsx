"use client";

import type { MeView } from "@industrial/contracts";
import { useState } from "react";
import { actingTenant } from "@/lib/acting-tenant";
import { getApi } from "@/lib/api";
import { leaveFor } from "@/lib/go-to-sign-in";
import { SIGN_IN_PATH } from "@/lib/sign-in";
import { RoleBadge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { useToast } from "@/components/ui/toast";

/**
 * Who is signed in: the role, the key (its public prefix and name, as /me
 * tells them) and the user it acts for; and Sign out. With authentication off
 * it says so instead, loudly: there is no one to sign out.
 */
export function AccountPanel({ me }: { me: MeView }) {
  const toast = useToast();
  const [leaving, setLeaving] = useState(false);
  const key = me.keyPrefix ? { prefix: me.keyPrefix, name: me.keyName ?? "" } : null;

  if (!me.authEnabled)
    return (
      <div data-slot="account" data-auth="off" className="flex flex-col gap-1.5 border-2 border-st-failed px-3 py-2">
        <div className="flex items-center justify-between gap-2">
          <span className="label text-st-failed">Auth off</span>
          <RoleBadge role={me.role} />
        </div>
        <p className="text-xs text-muted">Every request acts as this admin, without a key.</p>
      </div>
    );

  const signOut = async () => {
    setLeaving(true);
    try {
      await getApi().call("logout", { body: {} });
      actingTenant.set(null);
      leaveFor(SIGN_IN_PATH);
    } catch (e) {
      setLeaving(false);
      toast.error(e, "Sign-out failed");
    }
  };

  return (
    <div data-slot="account" data-role={me.role} className="flex flex-col gap-2 border-2 border-line px-3 py-2">
      <div className="flex items-center justify-between gap-2">
        <span className="label text-subtle">Signed in</span>
        <RoleBadge role={me.role} />
      </div>
      <dl className="flex flex-col gap-0.5 text-xs">
        <div className="flex min-w-0 gap-1.5">
          <dt className="text-subtle">key</dt>
          <dd
            className="truncate text-fg"
            data-slot="account-key"
            title={key ? `${key.name} · prefix ${key.prefix}` : (me.keyId ?? "")}
          >
            {key ? key.prefix : me.keyId ? `${me.keyId.slice(0, 8)}…` : "—"}
          </dd>
        </div>
        {key?.name ? (
          <div className="min-w-0">
            <dt className="sr-only">key name</dt>
            <dd className="truncate text-muted">{key.name}</dd>
          </div>
        ) : null}
        {me.userId ? (
          <div className="flex min-w-0 gap-1.5">
            <dt className="text-subtle">user</dt>
            <dd className="truncate text-fg">{me.userName ?? `${me.userId.slice(0, 8)}…`}</dd>
          </div>
        ) : null}
      </dl>
      <Button size="sm" variant="secondary" busy={leaving} onClick={() => void signOut()}>
        Sign out
      </Button>
    </div>
  );
}
