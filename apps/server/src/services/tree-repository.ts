import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { InvalidInputError, parseRepositoryLocation, sessionShortId, UnavailableError } from "@industrial/core";
import { isGitRepository, prepareIntegration, RepositoryUnreachableError, runGit } from "@industrial/opencode";
import type { ServiceDeps } from "./deps";
import { admitRepository } from "./repository-admission";
import { ownTreeRepository } from "./workspace-admission";

export type PreparedIntegration = Awaited<ReturnType<typeof prepareIntegration>>;

/**
 * The repository a task tree is executed on, as stored with its execution,
 * and its integration branch cut from `baseRef` under `<data dir>/integration`:
 * - none given: a repository of the tree's own under the data dir;
 * - a path: admitted by the workspace roots, and a git repository;
 * - a URL: admitted (roots or the tenant's prefixes), the branch cut from
 *   this replica's mirror of it, fetched now; the tree's sessions are cut from
 *   that mirror too, so their branches merge into the integration branch there.
 * @throws InvalidInputError naming body.repository or body.baseRef.
 * @throws UnavailableError when a URL cannot be reached (try again later).
 */
export async function prepareTreeRepository(
  deps: ServiceDeps,
  task: { id: string; title: string },
  body: { repository?: string | undefined; baseRef?: string | undefined } | undefined,
): Promise<{ repository: string; baseRef: string; prepared: PreparedIntegration }> {
  const short = sessionShortId(task.id);
  const baseRef = body?.baseRef ?? "HEAD";
  const integrationDir = join(deps.dataDir, "integration");
  if (!body?.repository) {
    // The tree's own is the orchestrator's, not a request's: no admission.
    const own = await ensureTreeRepository(ownTreeRepository(deps.dataDir, task.id), task.title);
    return { repository: own, baseRef, prepared: await prepareIntegration(own, short, baseRef, integrationDir) };
  }
  // A request's repository is admitted (and resolved) before anything looks at it.
  const admitted = await admitRepository(deps, body.repository);
  if (admitted.kind === "path") {
    if (!(await isGitRepository(admitted.repository)))
      throw new InvalidInputError(`repository ${admitted.repository} is not a git repository`, [
        { path: "body.repository", reason: "not a git repository" },
      ]);
    return {
      repository: admitted.repository,
      baseRef,
      prepared: await prepareIntegration(admitted.repository, short, baseRef, integrationDir),
    };
  }
  const parsed = parseRepositoryLocation(admitted.repository);
  if (!parsed.ok || parsed.location.kind !== "url")
    throw new Error(`admitted repository is not a URL: ${admitted.repository}`);
  try {
    const prepared = await deps.mirrors.withMirror(
      { tenantId: deps.tenantId, url: parsed.location.url, fetch: async () => true },
      (mirror) => prepareIntegration(mirror, short, baseRef, integrationDir),
    );
    return { repository: admitted.repository, baseRef, prepared };
  } catch (e) {
    if (e instanceof RepositoryUnreachableError)
      throw new UnavailableError(e.message, { suggestion: "execute the tree again once the repository answers" });
    if (e instanceof InvalidInputError)
      throw new InvalidInputError(`base ref "${baseRef}" is not a branch, tag or commit of ${admitted.repository}`, [
        { path: "body.baseRef", reason: "unknown ref" },
      ]);
    throw e;
  }
}

async function ensureTreeRepository(path: string, title: string): Promise<string> {
  await mkdir(path, { recursive: true });
  if (await isGitRepository(path)) return path;
  await runGit(["init", "-q", "-b", "main"], { cwd: path });
  await runGit(["commit", "-q", "--allow-empty", "-m", `Task tree: ${title}`], { cwd: path });
  return path;
}
