import { routes } from "@industrial/contracts";
import { listEvents, readFirstRetainedSeq } from "@industrial/db";
import { computeActor, FINISHED_STATUSES, type Clock, type Session } from "@industrial/core";
import type { FastifyInstance } from "fastify";
import { defineRoute } from "../define-route";
import type { ServiceDeps } from "../services/deps";
import { actOnSession, retrySession } from "../services/session-actions";
import {
  createManualCheckpoint,
  restoreCheckpoint,
  sessionCheckpoints,
  sessionDiff,
  verifySessionCheckpoints,
} from "../services/session-checkpoints";
import { sessionStats } from "../services/session-stats";
import { sessionTimeline } from "../services/session-timeline";
import { readSessionViews } from "../services/session-view";
import {
  createSession,
  deleteSession,
  getSessionById,
  getSessionTree,
  listSessionPage,
  patchSession,
  sendMessage,
} from "../services/sessions";

export function registerSessionRoutes(app: FastifyInstance, clock: Clock): void {
  const views = (deps: ServiceDeps, sessions: readonly Session[]) => readSessionViews(deps, sessions, clock.now());
  const view = async (deps: ServiceDeps, s: Session) => (await views(deps, [s]))[0]!;

  defineRoute(app, routes.createSession, async ({ deps, body }) =>
    view(deps, await createSession(deps, body, computeActor(deps.caller))),
  );
  defineRoute(app, routes.listSessions, async ({ deps, query }) => {
    const page = await listSessionPage(deps, query);
    return { ...page, items: await views(deps, page.items) };
  });
  defineRoute(app, routes.sessionStats, ({ deps }) => sessionStats(deps));
  // A static path: find-my-way matches it before the parametric /sessions/:id (and :id is a UUID).
  defineRoute(app, routes.sessionTimeline, ({ deps, query }) => sessionTimeline(deps, query));
  defineRoute(app, routes.getSession, async ({ deps, params }) => view(deps, await getSessionById(deps, params.id)));
  defineRoute(app, routes.patchSession, async ({ deps, params, body }) =>
    view(deps, await patchSession(deps, params.id, body)),
  );
  defineRoute(app, routes.deleteSession, async ({ deps, params }) => {
    await deleteSession(deps, params.id);
    return { deleted: true as const, id: params.id };
  });
  for (const action of ["start", "pause", "resume", "stop", "cancel"] as const)
    defineRoute(app, routes[`${action}Session`], async ({ deps, params }) =>
      view(deps, await actOnSession(deps, params.id, action)),
    );
  defineRoute(app, routes.retrySession, async ({ deps, params, body }) =>
    view(deps, await retrySession(deps, params.id, body ?? {})),
  );
  defineRoute(app, routes.messageSession, async ({ deps, params, body }) =>
    view(deps, await sendMessage(deps, params.id, body.text)),
  );
  defineRoute(app, routes.sessionEvents, async ({ deps, params, query }) => {
    const s = await getSessionById(deps, params.id);
    const items = await listEvents(deps.db, deps.tenantId, s.id, query.after, query.limit, {
      ...(query.before !== undefined ? { before: query.before } : {}),
      order: query.order,
    });
    // Read after the page: a retention batch in between can only make it larger than the page's first seq.
    const firstSeq = (await readFirstRetainedSeq(deps.db, deps.tenantId, s.id)) ?? 1;
    return { items, lastSeq: s.lastEventSeq, firstSeq, finished: FINISHED_STATUSES.includes(s.status) };
  });
  defineRoute(app, routes.listCheckpoints, async ({ deps, params }) => ({
    items: await sessionCheckpoints(deps, params.id),
  }));
  defineRoute(app, routes.createCheckpoint, async ({ deps, params }) => createManualCheckpoint(deps, params.id));
  defineRoute(app, routes.verifyCheckpoints, async ({ deps, params }) => verifySessionCheckpoints(deps, params.id));
  defineRoute(app, routes.restoreCheckpoint, async ({ deps, params }) =>
    view(deps, await restoreCheckpoint(deps, params.id, params.seq)),
  );
  defineRoute(app, routes.sessionDiff, async ({ deps, params }) => sessionDiff(deps, params.id));
  defineRoute(app, routes.sessionTree, async ({ deps, params }) => {
    const t = await getSessionTree(deps, params.id);
    const [session, ...rest] = await views(deps, [t.session, ...(t.parent ? [t.parent] : []), ...t.children]);
    return { session: session!, parent: t.parent ? rest.shift()! : null, children: rest };
  });
}
