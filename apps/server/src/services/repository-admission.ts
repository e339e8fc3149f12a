import {
  computeRepositoryAdmission,
  InvalidInputError,
  maskRemoteUrl,
  parseRepositoryLocation,
  type RepositoryLocation,
} from "@industrial/core";
import { findTenant, type Queryable } from "@industrial/db";
import { admitWorkspacePath, checkWorkspacePath, type WorkspacePolicy } from "./workspace-admission";

/** A repository a request may use, as it is stored: a resolved path, `file://<resolved path>`, or the network URL as given. */
export type AdmittedRepository = { kind: "path"; repository: string } | { kind: "url"; repository: string };

export type RepositoryCheck = { ok: true; repository: AdmittedRepository } | { ok: false; reason: string };

/**
 * Which repositories a tenant may use (docs/security.md, "Workspace roots"):
 * a path or a file:// URL must lie under the workspace roots (links resolved;
 * what is stored is what was checked), a network URL under one of the
 * tenant's allowed prefixes (`tenants.allowedRepositoryPrefixes`; null: any).
 * Nothing is fetched here: a URL that cannot be reached fails the session
 * later, retryable.
 */
export async function checkRepository(
  input: { db: Queryable; tenantId: string; policy: WorkspacePolicy },
  value: string,
): Promise<RepositoryCheck> {
  const parsed = parseRepositoryLocation(value);
  if (!parsed.ok) return { ok: false, reason: parsed.reason };
  const tenant =
    parsed.location.kind === "url" && parsed.location.url.scheme !== "file"
      ? await findTenant(input.db, input.tenantId)
      : null;
  const admission = computeRepositoryAdmission(parsed.location, tenant?.allowedRepositoryPrefixes ?? null);
  switch (admission.kind) {
    case "workspace-roots": {
      const check = await checkWorkspacePath(input.policy, admission.path, "repository");
      if (!check.ok) return check;
      return { ok: true, repository: asStored(parsed.location, check.path) };
    }
    case "admitted":
      return { ok: true, repository: { kind: "url", repository: value } };
    case "refused":
      return { ok: false, reason: admission.reason };
  }
}

function asStored(location: RepositoryLocation, resolved: string): AdmittedRepository {
  return location.kind === "path"
    ? { kind: "path", repository: resolved }
    : { kind: "url", repository: `file://${resolved}` };
}

/**
 * The request's repository, admitted, or a 400 naming `body.repository` with
 * the reason (the allowed roots or prefixes).
 * @throws InvalidInputError when the repository is refused.
 */
export async function admitRepository(
  deps: { db: Queryable; tenantId: string; workspaceRoots: readonly string[]; dataDir: string },
  value: string,
): Promise<AdmittedRepository> {
  const parsed = parseRepositoryLocation(value);
  // A plain path says what it always said (the same words as a directory's).
  if (parsed.ok && parsed.location.kind === "path")
    return { kind: "path", repository: await admitWorkspacePath(deps, value, "repository") };
  const check = await checkRepository(
    { db: deps.db, tenantId: deps.tenantId, policy: { roots: deps.workspaceRoots, dataDir: deps.dataDir } },
    value,
  );
  if (check.ok) return check.repository;
  throw new InvalidInputError(`repository ${maskRemoteUrl(value)} ${check.reason}`, [
    { path: "body.repository", reason: check.reason },
  ]);
}
