import { Uuid } from "@industrial/contracts";
import { UsageError } from "./cli-error";

/** Where the key of a run came from: it decides what a 401 tells the person to fix. */
export type CredentialSource = "--token" | "ORCHESTRATOR_TOKEN" | "login" | "none";

export interface ChosenCredential {
  token: string | null;
  source: CredentialSource;
}

/**
 * The key a command sends: `--token` beats `ORCHESTRATOR_TOKEN`, which beats
 * what `orchestrator login` stored for the URL in use — the nearer to the
 * command line, the more deliberate. An empty ORCHESTRATOR_TOKEN counts as
 * unset (`ORCHESTRATOR_TOKEN= orchestrator …` is how people unset it for one
 * run); an empty --token is a mistake worth saying so.
 */
export function chooseCredential(input: {
  flag: string | undefined;
  env: string | undefined;
  stored: () => string | undefined;
}): ChosenCredential {
  if (input.flag !== undefined) {
    if (input.flag.trim() === "")
      throw new UsageError("invalid --token: must not be empty", {
        details: [{ path: "--token", reason: "must not be empty" }],
      });
    return { token: input.flag.trim(), source: "--token" };
  }
  if (input.env?.trim()) return { token: input.env.trim(), source: "ORCHESTRATOR_TOKEN" };
  // Read last: a broken credentials file must not stop a run that was given its key.
  const stored = input.stored();
  if (stored) return { token: stored, source: "login" };
  return { token: null, source: "none" };
}

/** What to do about a 401, given where the refused key (or the lack of one) came from. */
export function unauthenticatedHint(source: CredentialSource | undefined, url: string): string {
  const login = `\`orchestrator login --url ${url}\``;
  switch (source) {
    case "--token":
      return `the key given with --token was refused; give a working one, or log in with ${login}`;
    case "ORCHESTRATOR_TOKEN":
      return `the key in ORCHESTRATOR_TOKEN was refused; set it to a working key, or unset it and log in with ${login}`;
    case "login":
      return `the key stored by \`orchestrator login\` for ${url} was refused; log in again with ${login} (or set ORCHESTRATOR_TOKEN)`;
    case "none":
    case undefined:
      return `log in with ${login} (it asks for an API key), or set ORCHESTRATOR_TOKEN to one`;
  }
}

/**
 * `--tenant` / ORCHESTRATOR_TENANT: the tenant an admin of the default tenant
 * acts in, sent as X-Tenant-Id. Checked here so a typo is named before the
 * server answers with a less specific 400.
 */
export function parseTenantOption(flag: string | undefined, env: string | undefined): string | null {
  const raw = flag ?? (env?.trim() ? env.trim() : undefined);
  if (raw === undefined) return null;
  const label = flag !== undefined ? "--tenant" : "ORCHESTRATOR_TENANT";
  const r = Uuid.safeParse(raw.trim().toLowerCase());
  if (!r.success)
    throw new UsageError(`invalid ${label}: must be a tenant id (a UUID)`, {
      details: [{ path: label, reason: "must be a UUID" }],
      suggestion: "an admin of the default tenant lists tenants with GET /api/v1/tenants",
    });
  return r.data;
}
