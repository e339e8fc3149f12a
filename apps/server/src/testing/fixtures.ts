import type { RouteName } from "@industrial/contracts";
import type { SessionStatus } from "@industrial/core";
import { insertInputRequest, type Database, type NewInputRequest } from "@industrial/db";
import { bearer } from "@industrial/testkit";
import { createTestGitRepo } from "./git-fixture";
import { uniqueName } from "./principals";
import { callRoute, type RouteRequest } from "./route-request";

type Row = Record<string, unknown> & { id: string };

const QUESTION_ONE = {
  question: "Which colour?",
  header: "Colour",
  options: [
    { label: "red", description: "warm" },
    { label: "blue", description: "cold" },
  ],
  multiple: false,
  custom: false,
};
const QUESTION_TWO = {
  question: "Which extras?",
  header: "Extras",
  options: [
    { label: "tests", description: "" },
    { label: "docs", description: "" },
  ],
  multiple: true,
  custom: true,
};

/** Who makes a fixture: a key (its role must allow the call) of the tenant the row lands in. */
export interface Maker {
  key: string;
  tenantId: string;
}

/**
 * Rows for tests, made the way clients make them (the API, as `Maker`), with
 * the states the API cannot reach without a run (running, paused, failed, a
 * worktree) seeded with SQL on the owner connection. `remove()` deletes the
 * temporary repositories.
 */
export function createFixtures(orc: { url: string; db: Database }) {
  const repos: { remove(): void }[] = [];

  async function call<T = Row>(as: Maker, name: RouteName, r: RouteRequest = {}): Promise<T> {
    const a = await callRoute(orc.url, name, { ...r, headers: { ...bearer(as.key), ...r.headers } });
    if (a.status >= 300) throw new Error(`fixture ${name}: ${a.status} ${a.text}`);
    return a.json as T;
  }

  async function setStatus(id: string, status: SessionStatus): Promise<void> {
    await orc.db.query(
      "UPDATE sessions SET status = $2, status_reason = 'seeded by a test', held = false WHERE id = $1",
      [id, status],
    );
  }

  /** A git worktree of its own (branch main, one commit): checkpoints, restore and diff act on it. */
  async function giveWorkspace(id: string): Promise<void> {
    const repo = createTestGitRepo({ "README.md": "fixture\n" });
    repos.push(repo);
    const workspace = {
      repository: null,
      baseRef: "HEAD",
      baseCommit: repo.head,
      branch: "main",
      path: repo.path,
      directory: repo.path,
    };
    await orc.db.query("UPDATE sessions SET workspace = $2::jsonb WHERE id = $1", [id, JSON.stringify(workspace)]);
  }

  const f = {
    call,
    /** A session created with start=false (pending: nothing runs it), then put in `status`. */
    async session(
      as: Maker,
      opts: { status?: SessionStatus; workspace?: boolean; checkpoint?: boolean } = {},
    ): Promise<Row> {
      const s = await call(as, "createSession", {
        body: { title: uniqueName("session"), prompt: "a fixture; never runs", start: false },
      });
      if (opts.workspace || opts.checkpoint) await giveWorkspace(s.id);
      if (opts.status && opts.status !== "pending") await setStatus(s.id, opts.status);
      // A manual checkpoint needs a session that is not running here: paused is one such.
      if (opts.checkpoint) {
        if (opts.status !== "paused") await setStatus(s.id, "paused");
        await call(as, "createCheckpoint", { params: { id: s.id }, body: {} });
        if (opts.status && opts.status !== "paused") await setStatus(s.id, opts.status);
      }
      return s;
    },
    /**
     * An open input request of a running session of `as`, recorded as a lease
     * holder records one (no OpenCode behind it: these rows are what the API reads
     * and answers). A question asks two things: a single choice of red or blue,
     * then any of the options or free text.
     */
    async inputRequest(
      as: Maker,
      agentId: string,
      kind: "permission" | "question" = "permission",
      expiresAt: Date | null = null,
    ): Promise<{ id: string; sessionId: string }> {
      const s = await f.session(as, { status: "running" });
      const ask: Pick<NewInputRequest, "kind" | "payload"> =
        kind === "permission"
          ? {
              kind,
              payload: { name: "edit", patterns: ["src/app.ts"], diff: "--- a/src/app.ts\n+++ b/src/app.ts\n+x\n" },
            }
          : { kind, payload: { questions: [QUESTION_ONE, QUESTION_TWO] } };
      const { request } = await orc.db.transaction((tx) =>
        insertInputRequest(tx, { id: s.id, tenantId: as.tenantId }, {
          ...ask,
          attempt: 1,
          agentId,
          openCodeRequestId: `${kind === "permission" ? "per" : "que"}_${uniqueName("oc")}`,
          openCodeSessionId: "ses_fixture",
          expiresAt,
        } as NewInputRequest),
      );
      return { id: request.id, sessionId: s.id };
    },
    async task(as: Maker, body: Record<string, unknown> = {}): Promise<Row> {
      return call(as, "createTask", { body: { title: uniqueName("task"), description: "a fixture", ...body } });
    },
    async dependency(as: Maker): Promise<{ taskId: string; depId: string }> {
      const [a, b] = [await f.task(as), await f.task(as)];
      const d = await call(as, "addDependency", { params: { id: a.id }, body: { dependsOnTaskId: b.id } });
      return { taskId: a.id, depId: d.id };
    },
    async context(as: Maker, body: Record<string, unknown> = {}): Promise<Row> {
      return call(as, "createContext", {
        body: { scope: "global", name: uniqueName("ctx"), data: { a: { b: 1 } }, ...body },
      });
    },
    async sessionContext(as: Maker): Promise<Row & { sessionId: string }> {
      const s = await f.session(as);
      return { ...(await f.context(as, { scope: "session", sessionId: s.id })), sessionId: s.id };
    },
    async agent(as: Maker): Promise<Row> {
      return call(as, "createAgent", { body: { name: uniqueName("agent").slice(0, 60), type: "implementer" } });
    },
    /** A remote runner at an address nothing listens on (registered all the same, unhealthy). */
    async runner(as: Maker): Promise<Row> {
      return call(as, "registerRunner", {
        body: { name: uniqueName("runner").slice(0, 60), url: "http://127.0.0.1:9" },
      });
    },
    async user(as: Maker): Promise<Row> {
      return call(as, "createUser", {
        body: { name: uniqueName("user"), email: `${uniqueName("u")}@example.test`, role: "viewer" },
      });
    },
    async apiKey(as: Maker): Promise<Row & { key: string }> {
      return call(as, "createApiKey", { body: { name: uniqueName("key"), role: "viewer" } });
    },
    remove(): void {
      for (const r of repos.splice(0)) r.remove();
    },
  };
  return f;
}
export type Fixtures = ReturnType<typeof createFixtures>;
