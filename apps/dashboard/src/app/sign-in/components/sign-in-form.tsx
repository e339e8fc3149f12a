"use client";

import { ApiError } from "@industrial/contracts";
import { useState, type FormEvent } from "react";
import { actingTenant } from "@/lib/acting-tenant";
import { getApi } from "@/lib/api";
import { fieldErrorsOf } from "@/lib/field-errors";
import { Button } from "@/components/ui/button";
import { Card, CardBody } from "@/components/ui/card";
import { ErrorPanel } from "@/components/ui/error-panel";
import { Field, fieldAria, Input } from "@/components/ui/input";

/**
 * Trades an API key for the orchestrator's session cookie (HttpOnly: this
 * page can never read it back). The key is read from the field when the
 * form is sent and is in no state, store or cache of the app — not even a
 * mutation's variables — and the field is emptied once it worked. The
 * server's refusal (wrong, revoked, expired key) is shown as it said it.
 */
export function SignInForm({ next }: { next: string }) {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [shown, setShown] = useState(false);
  const { fields } = fieldErrorsOf(error);
  const keyError = fields.key;

  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    setPending(true);
    setError(null);
    try {
      // Pasted keys often carry a trailing newline or space; the server checks the rest.
      await getApi().call("login", { body: { key: String(new FormData(form).get("key") ?? "").trim() } });
      form.reset();
      // A new sign-in starts in its own key's tenant.
      actingTenant.set(null);
      // A full load: the app starts over with the cookie, nothing of the signed-out page kept.
      window.location.replace(next);
    } catch (err) {
      setError(err);
      setPending(false);
    }
  };

  return (
    <Card className="w-full max-w-md" data-slot="sign-in">
      <div className="border-b-2 border-line px-5 py-4">
        <span className="block text-base leading-tight font-bold tracking-[0.2em] text-fg">INDUSTRIAL</span>
        <span className="label block text-accent-strong">Orchestrator</span>
      </div>
      <CardBody className="flex flex-col gap-5 px-5 py-5">
        <div className="flex flex-col gap-1">
          <h1 className="text-xl font-bold tracking-wide text-fg uppercase">Sign in</h1>
          <p className="text-sm text-muted">
            Paste an API key. It is exchanged for a session cookie that lasts 12 hours; the dashboard never keeps the
            key.
          </p>
        </div>
        <form onSubmit={(e) => void submit(e)} noValidate aria-label="Sign in" className="flex flex-col gap-4">
          {error && !keyError ? (
            <ErrorPanel
              title={error instanceof ApiError && error.status === 401 ? "Key refused" : "Sign-in failed"}
              error={error}
            />
          ) : null}
          <Field id="key" label="API key" error={keyError} hint="io_<prefix>_<secret>, or the key the operator set.">
            <div className="flex gap-2">
              <Input
                {...fieldAria("key", keyError)}
                type={shown ? "text" : "password"}
                autoComplete="current-password"
                autoCapitalize="off"
                autoCorrect="off"
                spellCheck={false}
                autoFocus
                placeholder="io_…"
                className="min-w-0 flex-1"
              />
              <Button
                variant="secondary"
                aria-pressed={shown}
                aria-controls="key"
                onClick={() => setShown((s) => !s)}
                className="w-20 shrink-0"
              >
                {shown ? "Hide" : "Show"}
              </Button>
            </div>
          </Field>
          <Button type="submit" variant="primary" busy={pending}>
            Sign in
          </Button>
          {next !== "/" ? (
            <p className="text-xs text-subtle">
              Then back to <code className="break-all text-muted">{next}</code>
            </p>
          ) : null}
        </form>
        <div className="flex flex-col gap-1.5 border-t-2 border-line pt-4 text-xs text-muted">
          <p className="label text-subtle">No key?</p>
          <p>
            The orchestrator prints its first admin key once, the first time it starts. An admin makes more in Settings
            → API keys, or with <code className="text-fg">orchestrator keys create</code>.
          </p>
        </div>
      </CardBody>
    </Card>
  );
}
