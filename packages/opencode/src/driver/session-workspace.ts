import {
  coerceError,
  InvalidInputError,
  SessionErrorCode,
  sessionShortId,
  type Session,
  type SessionError,
  type Workspace,
} from "@industrial/core";
import type { MirrorCache } from "../mirror/mirror-cache";
import { RepositoryUnreachableError } from "../mirror/mirror-cache";
import { prepareWorkspace } from "../workspace";
import type { SessionFolders } from "../workspace/session-folders";

/**
 * Prepares a session's workspace on this replica from what the session
 * names: its repository (a path, or a URL cut from this replica's mirror of
 * it), its directory, or a scratch repository.
 */
export function prepareSessionWorkspace(
  session: Session,
  opts: { folders: SessionFolders; mirrors?: MirrorCache | null },
): Promise<Workspace> {
  const ws = session.workspace;
  return prepareWorkspace({
    sessionShortId: sessionShortId(session.id),
    repository: ws.repository,
    baseRef: ws.repository ? ws.baseRef : null,
    directory: ws.directory,
    ...opts.folders,
    mirrors: opts.mirrors ?? null,
    tenantId: session.tenantId,
    pushTo: ws.pushTo,
  });
}

/**
 * What a workspace that could not be prepared means for the session: a URL
 * repository that could not be reached is retried by the retry policy
 * (`REPOSITORY_UNREACHABLE`); a request's mistake (a missing directory, an
 * unknown base ref) is not; anything else (git failing on a busy disk) is.
 */
export function workspaceFailure(e: unknown): { kind: "failed"; error: SessionError } {
  if (e instanceof RepositoryUnreachableError)
    return {
      kind: "failed",
      error: { code: SessionErrorCode.REPOSITORY_UNREACHABLE, message: e.message, retryable: true },
    };
  const message = `workspace could not be prepared: ${coerceError(e).message}`;
  return {
    kind: "failed",
    error: { code: SessionErrorCode.WORKSPACE_ERROR, message, retryable: !(e instanceof InvalidInputError) },
  };
}
