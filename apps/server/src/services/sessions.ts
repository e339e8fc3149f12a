import { existsSync, statSync } from "node:fs";
import {
  ACTIVE_STATUSES,
  ConflictError,
  DEFAULT_RETRY_POLICY,
  computeDispatchKey,
  InvalidInputError,
  isTerminalStatus,
  type SessionEvent,
  NotFoundError,
  type PushTarget,
  type Session,
} from "@industrial/core";
import type { CreateSessionBody, ListSessionsQuery, PatchSessionBody } from "@industrial/contracts";
import {
  findSession,
  getAgent,
  getSession,
  insertSession,
  listSessions,
  lockSession,
  sessionTree,
  transitionSession,
  updateSession,
  appendEvents,
  listChildSessionIds,
  queueSessionMessage,
  readFencingToken,
} from "@industrial/db";
import { isGitRepository, runGit } from "@industrial/opencode";
import type { z } from "zod";
import { assertCanControl } from "./control";
import { planOrRefuse } from "./session-plan";
import { assertModelAllowed } from "./tenants";
import { afterCommit, type ServiceDeps } from "./deps";
import { admitWorkspacePath } from "./workspace-admission";
import { admitRepository } from "./repository-admission";

type CreateInput = z.output<typeof CreateSessionBody>;

/** A title from the first line of the prompt when none is given. */
function titleFrom(prompt: string): string {
  const line =
    prompt
      .split("\n")
      .find((l) => l.trim() && !l.startsWith("SCRIPT:"))
      ?.trim() ?? "Untitled session";
  return line.length > 80 ? `${line.slice(0, 77)}…` : line;
}

function requireDirectory(path: string, field: string): void {
  if (!existsSync(path) || !statSync(path).isDirectory())
    throw new InvalidInputError(`${field} ${path} is not an existing directory`, [
      { path: `body.${field}`, reason: "not an existing directory" },
    ]);
}

/**
 * Checks what can be checked before the session is queued, so mistakes are
 * 400s and not failed runs, and answers the paths to store: resolved through
 * their links, and admitted before anything about them is looked at (a
 * refused caller learns nothing of what exists outside the workspace roots).
 */
async function validateTargets(
  deps: ServiceDeps,
  b: CreateInput,
): Promise<{ repository: string | null; directory: string | null; pushTo: PushTarget }> {
  const admitted = b.repository ? await admitRepository(deps, b.repository) : null;
  // A URL is not contacted here: one that cannot be reached fails the session (retryable), it is not a 400.
  const repository = admitted?.kind === "path" ? admitted.repository : null;
  const directory = b.directory ? await admitWorkspacePath(deps, b.directory, "directory") : null;
  if (repository) {
    requireDirectory(repository, "repository");
    if (!(await isGitRepository(repository)))
      throw new InvalidInputError(`repository ${repository} is not a git repository`, [
        { path: "body.repository", reason: "not a git repository" },
      ]);
    const ref = b.baseRef ?? "HEAD";
    const r = await runGit(["rev-parse", "--verify", "--quiet", `${ref}^{commit}`], {
      cwd: repository,
      allowExitCodes: [1],
    });
    if (r.exitCode !== 0)
      throw new InvalidInputError(`baseRef ${ref} does not exist in ${repository}`, [
        { path: "body.baseRef", reason: "unknown ref" },
      ]);
  }
  if (directory) requireDirectory(directory, "directory");
  await assertModelAllowed(deps, b.model, "body.model");
  if (b.parentSessionId && !(await findSession(deps.db, deps.tenantId, b.parentSessionId)))
    throw new InvalidInputError(`parent session ${b.parentSessionId} not found`, [
      { path: "body.parentSessionId", reason: "no such session" },
    ]);
  if (b.preferredAgentId) {
    const agent = await getAgent(deps.db, deps.tenantId, b.preferredAgentId);
    if (!agent || agent.tenantId !== deps.tenantId)
      throw new InvalidInputError(`agent ${b.preferredAgentId} not found`, [
        { path: "body.preferredAgentId", reason: "no such agent" },
      ]);
  }
  // A URL repository's checkpoints go to the repository itself unless the session says otherwise.
  const pushTo = admitted?.kind === "url" ? (b.pushTo ?? "origin") : "work";
  return { repository: admitted?.repository ?? null, directory, pushTo };
}

export async function createSession(deps: ServiceDeps, b: CreateInput, createdBy: string | null): Promise<Session> {
  const targets = await validateTargets(deps, b);
  const { session, events } = await deps.db.transaction((tx) =>
    insertSession(tx, {
      tenantId: deps.tenantId,
      title: b.title ?? titleFrom(b.prompt),
      prompt: b.prompt,
      type: b.type,
      priority: b.priority,
      requiredCapabilities: b.requiredCapabilities,
      preferredAgentId: b.preferredAgentId ?? null,
      workspace: {
        repository: targets.repository,
        baseRef: b.baseRef ?? "HEAD",
        baseCommit: null,
        branch: null,
        path: null,
        directory: targets.directory,
        pushTo: targets.pushTo,
      },
      model: b.model ?? null,
      parentSessionId: b.parentSessionId ?? null,
      taskId: null,
      maxDurationSeconds: b.maxDurationSeconds,
      retry: { ...DEFAULT_RETRY_POLICY, ...b.retry },
      budget: b.budget ?? {},
      tags: b.tags,
      metadata: b.metadata as Record<string, unknown>,
      createdBy,
      held: !b.start,
    }),
  );
  afterCommit(deps, events);
  deps.log.info({ sessionId: session.id, status: session.status, priority: session.priority }, "session created");
  return session;
}

export function getSessionById(deps: ServiceDeps, id: string): Promise<Session> {
  return getSession(deps.db, deps.tenantId, id);
}

export function listSessionPage(deps: ServiceDeps, q: z.output<typeof ListSessionsQuery>) {
  return listSessions(
    deps.db,
    {
      tenantId: deps.tenantId,
      ...(q.status ? { status: q.status } : {}),
      ...(q.priority ? { priority: q.priority } : {}),
      ...(q.type ? { type: q.type } : {}),
      ...(q.agentId ? { agentId: q.agentId } : {}),
      ...(q.taskId ? { taskId: q.taskId } : {}),
      ...(q.tag ? { tag: q.tag } : {}),
      ...(q.q ? { q: q.q } : {}),
      ...(q.createdAfter ? { createdAfter: new Date(q.createdAfter) } : {}),
      ...(q.createdBefore ? { createdBefore: new Date(q.createdBefore) } : {}),
    },
    { limit: q.limit, sort: q.sort, ...(q.cursor ? { cursor: q.cursor } : {}) },
  );
}

export async function patchSession(
  deps: ServiceDeps,
  id: string,
  b: z.output<typeof PatchSessionBody>,
): Promise<Session> {
  return deps.db.transaction(async (tx) => {
    const s = await lockSession(tx, id, { tenantId: deps.tenantId });
    assertCanControl(deps, s, `session ${id}`);
    const active = ACTIVE_STATUSES.includes(s.status);
    if (active && (b.priority !== undefined || b.maxDurationSeconds !== undefined))
      throw new ConflictError(`cannot change priority or maxDurationSeconds while the session is ${s.status}`, {
        details: [
          {
            path: b.priority !== undefined ? "body.priority" : "body.maxDurationSeconds",
            reason: `session is ${s.status}`,
          },
        ],
      });
    const priority = b.priority ?? s.priority;
    await updateSession(tx, s, {
      ...b,
      ...(b.priority && s.status === "queued" && s.queuedAt
        ? { dispatchKey: computeDispatchKey(priority, new Date(s.queuedAt)) }
        : {}),
    });
    return getSession(tx, deps.tenantId, id);
  });
}

export async function deleteSession(deps: ServiceDeps, id: string): Promise<void> {
  const events: SessionEvent[] = [];
  await deps.db.transaction(async (tx) => {
    const s = await lockSession(tx, id, { tenantId: deps.tenantId });
    assertCanControl(deps, s, `session ${id}`);
    planOrRefuse(s, "delete");
    await updateSession(tx, s, { deletedAt: deps.clock.now() });
    // Children that can still run lose their parent: orphaned (docs/domain.md).
    for (const childId of await listChildSessionIds(tx, deps.tenantId, id)) {
      const child = await lockSession(tx, childId, { tenantId: deps.tenantId });
      // A new fencing token makes a lease holder of the child let go at its next write.
      if (!isTerminalStatus(child.status))
        events.push(
          ...(await transitionSession(tx, child, "orphaned", `parent session ${id} was deleted`, {
            patch: { fencingToken: (await readFencingToken(tx, deps.tenantId, childId)) + 1 },
          })),
        );
    }
  });
  afterCommit(deps, events);
}

export async function getSessionTree(deps: ServiceDeps, id: string) {
  const session = await getSession(deps.db, deps.tenantId, id);
  const tree = await sessionTree(deps.db, deps.tenantId, id);
  return { session, ...tree };
}

/** Queues a follow-up instruction; the lease holder delivers it (or resume does, for a paused session). */
export async function sendMessage(deps: ServiceDeps, id: string, text: string): Promise<Session> {
  const events = await deps.db.transaction(async (tx) => {
    const s = await lockSession(tx, id, { tenantId: deps.tenantId });
    assertCanControl(deps, s, `session ${id}`);
    planOrRefuse(s, "message");
    await queueSessionMessage(tx, s, text);
    return appendEvents(
      tx,
      s,
      [{ type: "session.log", payload: { level: "info", source: "user", text: `follow-up queued: ${text}` } }],
      s.attempt || null,
    );
  });
  afterCommit(deps, events);
  return getSession(deps.db, deps.tenantId, id);
}

export { NotFoundError };
