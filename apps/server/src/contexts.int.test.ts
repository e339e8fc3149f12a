import { randomUUID } from "node:crypto";
import type { ContextView } from "@industrial/contracts";
import type { RecordedRequest } from "@industrial/scripted-model";
import { tempDir } from "@industrial/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiError, expectError, sendJson } from "./testing/http";
import { allEvents, scripted, startTestOrchestrator, waitForStatus, type TestOrchestrator } from "./testing/harness";

let h: TestOrchestrator;
let dir: ReturnType<typeof tempDir>;
beforeAll(async () => {
  h = await startTestOrchestrator();
  // One plain directory for every session: one OpenCode instance, no per-session warm-up.
  dir = tempDir("orch-contexts-");
});
afterAll(async () => {
  await h?.close();
  dir?.remove();
});

/** A session that will not run unless started (its id owns session contexts). */
const heldSession = (prompt = "hold") =>
  h.api.call("createSession", { body: { prompt, start: false, directory: dir.path, retry: { maxAttempts: 1 } } });

const send = (method: string, path: string, body?: unknown) => sendJson(h.orc.url, method, path, body);
/** A new context the API refuses: 400 INVALID_INPUT naming `field`. */
const refusesContext = (body: unknown, field: string) =>
  expectError(send("POST", "/contexts", body), 400, "INVALID_INPUT", field);

describe(`contexts over the HTTP API (${process.env.ORCHESTRATOR_TEST_DB})`, () => {
  it("creates, reads, lists and deletes contexts of every scope", async () => {
    const s = await heldSession();
    const agent = (await h.api.call("listAgents", { query: {} })).items[0]!;
    const own = await h.api.call("createContext", { body: { scope: "session", sessionId: s.id, data: { a: 1 } } });
    expect(own).toMatchObject({
      scope: "session",
      sessionId: s.id,
      agentId: null,
      name: null,
      version: 1,
      data: { a: 1 },
      expiresAt: null,
    });
    expect(await h.api.call("getContext", { params: { id: own.id } })).toEqual(own);

    const ofAgent = await h.api.call("createContext", {
      body: { scope: "agent", agentId: agent.id, name: "habits", data: { lint: "strict" } },
    });
    const temp = await h.api.call("createContext", { body: { scope: "temporary", ttlSeconds: 600, data: {} } });
    expect(Date.parse(temp.expiresAt!) - Date.now()).toBeGreaterThan(500_000);
    // An owner has one context per name: a second default context of the session is a conflict.
    const taken = await apiError(h.api.call("createContext", { body: { scope: "session", sessionId: s.id } }));
    expect(taken.status).toBe(409);
    expect(taken.envelope.context).toEqual({ existingContextId: own.id });

    const bySession = await h.api.call("listContexts", { query: { sessionId: s.id } });
    expect(bySession).toEqual({ items: [own], nextCursor: null, total: 1 });
    expect(
      (await h.api.call("listContexts", { query: { scope: ["agent"], agentId: agent.id } })).items.map((c) => c.id),
    ).toEqual([ofAgent.id]);

    // Pagination: newest first, no repeats, the total of the whole filter.
    const ids = [];
    for (let i = 0; i < 5; i++)
      ids.push((await h.api.call("createContext", { body: { scope: "global", name: `page-${i}`, data: { i } } })).id);
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await h.api.call("listContexts", {
        query: { scope: ["global"], limit: 2, ...(cursor ? { cursor } : {}) },
      });
      expect(page.total).toBe(5);
      seen.push(...page.items.map((c) => c.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual([...ids].reverse());

    for (const c of [own, ofAgent, temp]) await h.api.call("deleteContext", { params: { id: c.id }, query: {} });
    expect((await apiError(h.api.call("getContext", { params: { id: own.id } }))).status).toBe(404);
    for (const id of ids) await h.api.call("deleteContext", { params: { id }, query: {} });
  });

  it("gets, sets and deletes by dot path, every write one version more", async () => {
    const s = await heldSession();
    const c = await h.api.call("createContext", {
      body: { scope: "session", sessionId: s.id, data: { a: { b: 1 }, list: [1, 2] } },
    });
    const v2 = await h.api.call("putContextKey", { params: { id: c.id, path: "a.c" }, body: { value: "x" } });
    expect(v2).toMatchObject({ version: 2, data: { a: { b: 1, c: "x" }, list: [1, 2] } });
    expect(await h.api.call("getContextKey", { params: { id: c.id, path: "a.c" } })).toEqual({
      contextId: c.id,
      path: "a.c",
      value: "x",
      version: 2,
    });
    expect((await h.api.call("getContextKey", { params: { id: c.id, path: "list.1" } })).value).toBe(2);
    // Keys with dots and slashes (file names): `\.` escapes a dot, the client URL-encodes the rest.
    const v3 = await h.api.call("putContextKey", {
      params: { id: c.id, path: "files.src/app\\.ts" },
      body: { value: { lines: 3 } },
    });
    expect(v3.data.files).toEqual({ "src/app.ts": { lines: 3 } });
    expect((await h.api.call("getContextKey", { params: { id: c.id, path: "files.src/app\\.ts.lines" } })).value).toBe(
      3,
    );
    // Long paths are one URL parameter too.
    const long = ["deep", ...Array.from({ length: 30 }, (_, i) => `level${i}`)].join(".");
    const withLong = await h.api.call("putContextKey", { params: { id: c.id, path: long }, body: { value: true } });
    expect((await h.api.call("getContextKey", { params: { id: c.id, path: long } })).value).toBe(true);
    await h.api.call("deleteContextKey", {
      params: { id: c.id, path: "deep" },
      query: { expectedVersion: withLong.version },
    });
    const v4 = await h.api.call("putContextKey", { params: { id: c.id, path: "list.2" }, body: { value: 3 } });
    expect(v4).toMatchObject({ version: 6, data: { list: [1, 2, 3] } });
    const v5 = await h.api.call("deleteContextKey", { params: { id: c.id, path: "a.b" }, query: {} });
    expect(v5.version).toBe(7);
    expect(v5.data.a).toEqual({ c: "x" });
    expect((await apiError(h.api.call("getContextKey", { params: { id: c.id, path: "a.b" } }))).status).toBe(404);
    expect(
      (await apiError(h.api.call("deleteContextKey", { params: { id: c.id, path: "a.b" }, query: {} }))).status,
    ).toBe(404);

    // A path through a scalar, past an array's end or malformed: a 400 that names the path and says why.
    const through = await expectError(
      send("PUT", `/contexts/${c.id}/keys/a.c.d`, { value: 1 }),
      400,
      "INVALID_INPUT",
      "params.path",
    );
    expect(through.message).toBe('path "a.c.d" goes through a string at a.c, which has no keys');
    await expectError(send("PUT", `/contexts/${c.id}/keys/list.9`, { value: 1 }), 400, "INVALID_INPUT", "params.path");
    await expectError(send("GET", `/contexts/${c.id}/keys/a..b`), 400, "INVALID_INPUT", "params.path");
    await expectError(send("PUT", `/contexts/${c.id}/keys/a.z`, {}), 400, "INVALID_INPUT", "body.value");
    expect((await h.api.call("getContext", { params: { id: c.id } })).version).toBe(7);
  });

  it("refuses a stale expectedVersion with 409 naming both versions and the keys written since", async () => {
    const s = await heldSession();
    const c = await h.api.call("createContext", {
      body: { scope: "session", sessionId: s.id, data: { plan: "a", done: [] } },
    });
    await h.api.call("patchContext", {
      params: { id: c.id },
      body: { expectedVersion: 1, merge: { plan: "b", owner: { name: "x" } } },
    });
    await h.api.call("putContextKey", {
      params: { id: c.id, path: "done" },
      body: { value: ["step 1"], expectedVersion: 2 },
    });

    const stale = await apiError(
      h.api.call("patchContext", { params: { id: c.id }, body: { expectedVersion: 1, data: { plan: "c" } } }),
    );
    expect(stale.status).toBe(409);
    expect(stale.code).toBe("CONFLICT");
    expect(stale.envelope.context).toEqual({
      contextId: c.id,
      expectedVersion: 1,
      currentVersion: 3,
      changedKeys: ["done", "owner", "plan"],
    });
    expect(stale.envelope.details?.map((d) => d.path)).toEqual([
      "body.expectedVersion",
      "data.done",
      "data.owner",
      "data.plan",
    ]);
    expect(stale.message).toContain("is at version 3, not 1");
    // Only what changed after the caller's version.
    const lessStale = await apiError(
      h.api.call("putContextKey", { params: { id: c.id, path: "plan" }, body: { value: "d", expectedVersion: 2 } }),
    );
    expect(lessStale.envelope.context).toMatchObject({ expectedVersion: 2, currentVersion: 3, changedKeys: ["done"] });
    expect(
      (
        await apiError(
          h.api.call("deleteContextKey", { params: { id: c.id, path: "plan" }, query: { expectedVersion: 2 } }),
        )
      ).status,
    ).toBe(409);
    expect(
      (await apiError(h.api.call("deleteContext", { params: { id: c.id }, query: { expectedVersion: 1 } }))).status,
    ).toBe(409);

    const now = await h.api.call("getContext", { params: { id: c.id } });
    expect(now).toMatchObject({ version: 3, data: { plan: "b", owner: { name: "x" }, done: ["step 1"] } });
    const replaced = await h.api.call("patchContext", {
      params: { id: c.id },
      body: { expectedVersion: 3, data: { plan: "c" }, name: "plan" },
    });
    expect(replaced).toMatchObject({ version: 4, name: "plan", data: { plan: "c" } });
  });

  it("diffs two contexts and merges them by each strategy; manual refuses listing the conflicting keys", async () => {
    const [s1, s2] = [await heldSession(), await heldSession()];
    const make = (sessionId: string, data: Record<string, unknown>) =>
      h.api.call("createContext", { body: { scope: "session", sessionId, data: data as never } });
    const source = await make(s1.id, { shared: { a: 1, s: "source" }, onlySource: true, list: [1] });
    const target = await make(s2.id, { shared: { b: 2, s: "target" }, onlyTarget: true, list: [1] });

    const diff = await h.api.call("diffContexts", { params: { id: target.id, otherId: source.id } });
    expect(diff).toEqual({
      from: { id: target.id, version: 1 },
      to: { id: source.id, version: 1 },
      added: [
        { path: "shared.a", value: 1 },
        { path: "onlySource", value: true },
      ],
      modified: [{ path: "shared.s", from: "target", to: "source" }],
      deleted: [
        { path: "shared.b", value: 2 },
        { path: "onlyTarget", value: true },
      ],
    });

    const refused = await apiError(
      h.api.call("mergeContexts", { body: { sourceId: source.id, targetId: target.id, strategy: "manual" } }),
    );
    expect(refused.status).toBe(409);
    expect(refused.envelope.context).toEqual({ sourceId: source.id, targetId: target.id, conflicts: ["shared.s"] });
    expect(refused.envelope.details).toEqual([{ path: "data.shared.s", reason: "differs in source and target" }]);
    expect((await h.api.call("getContext", { params: { id: target.id } })).version).toBe(1);

    const deep = await h.api.call("mergeContexts", {
      body: { sourceId: source.id, targetId: target.id, strategy: "deep_merge", expectedTargetVersion: 1 },
    });
    expect(deep).toMatchObject({
      id: target.id,
      version: 2,
      data: { shared: { a: 1, b: 2, s: "source" }, onlySource: true, onlyTarget: true, list: [1] },
    });
    expect((await h.api.call("getContext", { params: { id: source.id } })).version).toBe(1);
    const staleMerge = await apiError(
      h.api.call("mergeContexts", {
        body: { sourceId: source.id, targetId: target.id, strategy: "deep_merge", expectedTargetVersion: 1 },
      }),
    );
    expect(staleMerge.envelope.context).toMatchObject({ expectedVersion: 1, currentVersion: 2 });

    // Now the target holds everything the source has: manual has nothing left to refuse.
    const resolved = await h.api.call("putContextKey", {
      params: { id: source.id, path: "shared.s" },
      body: { value: "source" },
    });
    expect(resolved.version).toBe(2);
    expect(
      (await h.api.call("mergeContexts", { body: { sourceId: source.id, targetId: target.id, strategy: "manual" } }))
        .version,
    ).toBe(3);

    const a = await make((await heldSession()).id, { x: { deep: 1 }, keep: "a" });
    const b = await make((await heldSession()).id, { x: { other: 2 }, only: "b" });
    const preferTarget = await h.api.call("mergeContexts", {
      body: { sourceId: a.id, targetId: b.id, strategy: "prefer_target" },
    });
    expect(preferTarget.data).toEqual({ x: { other: 2 }, keep: "a", only: "b" });
    const preferSource = await h.api.call("mergeContexts", {
      body: { sourceId: a.id, targetId: b.id, strategy: "prefer_source" },
    });
    expect(preferSource).toMatchObject({ version: 3, data: { x: { deep: 1 }, keep: "a", only: "b" } });
    // last_write_wins: b was written last, so merging a into it keeps b's whole document.
    const lww = await h.api.call("mergeContexts", {
      body: { sourceId: a.id, targetId: b.id, strategy: "last_write_wins" },
    });
    expect(lww).toMatchObject({ version: 4, data: preferSource.data });
    const lwwOther = await h.api.call("mergeContexts", {
      body: { sourceId: b.id, targetId: a.id, strategy: "last_write_wins" },
    });
    expect(lwwOther).toMatchObject({ version: 2, data: preferSource.data });
  });

  it("shares a session's context into another session and promotes one to global", async () => {
    const [from, to] = [await heldSession(), await heldSession()];
    const c = await h.api.call("createContext", {
      body: { scope: "session", sessionId: from.id, name: "notes", data: { found: ["bug in auth"] } },
    });
    const shared = await h.api.call("shareContext", { params: { id: c.id }, body: { sessionId: to.id } });
    expect(shared).toMatchObject({
      scope: "session",
      sessionId: to.id,
      name: "notes",
      version: 1,
      data: { found: ["bug in auth"] },
    });
    expect(shared.id).not.toBe(c.id);
    const again = await apiError(h.api.call("shareContext", { params: { id: c.id }, body: { sessionId: to.id } }));
    expect(again.status).toBe(409);
    expect(again.envelope.details?.map((d) => d.path)).toEqual(["body.name"]);
    expect(
      (await h.api.call("shareContext", { params: { id: c.id }, body: { sessionId: to.id, name: "notes-2" } })).name,
    ).toBe("notes-2");
    await expectError(
      send("POST", `/contexts/${c.id}/share`, { sessionId: from.id }),
      400,
      "INVALID_INPUT",
      "body.sessionId",
    );
    await expectError(
      send("POST", `/contexts/${c.id}/share`, { sessionId: randomUUID() }),
      400,
      "INVALID_INPUT",
      "body.sessionId",
    );

    // An owner's names are unique: renaming or promoting onto a taken one is a 409 naming the holder.
    const clash = await apiError(h.api.call("patchContext", { params: { id: shared.id }, body: { name: "notes-2" } }));
    expect(clash.status).toBe(409);
    expect(clash.envelope.context).toEqual({ existingContextId: expect.any(String) });
    const teamName = `team-notes-${randomUUID().slice(0, 8)}`;
    const existing = await h.api.call("createContext", { body: { scope: "global", name: teamName } });
    const promoteClash = await apiError(
      h.api.call("promoteContext", { params: { id: shared.id }, body: { name: teamName } }),
    );
    expect(promoteClash.envelope.context).toEqual({ existingContextId: existing.id });
    await h.api.call("deleteContext", { params: { id: existing.id }, query: {} });
    const promoted = await h.api.call("promoteContext", { params: { id: shared.id }, body: { name: teamName } });
    expect(promoted).toMatchObject({
      id: shared.id,
      scope: "global",
      sessionId: null,
      version: 2,
      data: { found: ["bug in auth"] },
    });
    expect((await h.api.call("promoteContext", { params: { id: shared.id } })).version).toBe(2);
    // A global context reaches every session already: sharing one makes no sense.
    await expectError(send("POST", `/contexts/${shared.id}/share`, { sessionId: from.id }), 422, "PRECONDITION_FAILED");
    await h.api.call("deleteContext", { params: { id: promoted.id }, query: {} });
  });

  it("answers bad input with 400s naming the field (413 for data over 256 KiB), never a 500", async () => {
    const s = await heldSession();
    await refusesContext({ scope: "bogus" }, "body.scope");
    await refusesContext({ scope: "global", colour: "red" }, "body.colour");
    await refusesContext({ scope: "global", data: [1, 2] }, "body.data");
    await refusesContext({ scope: "global", data: "text" }, "body.data");
    await refusesContext({ scope: "session" }, "body.sessionId");
    await refusesContext({ scope: "session", sessionId: randomUUID() }, "body.sessionId");
    await refusesContext({ scope: "session", sessionId: "nope" }, "body.sessionId");
    await refusesContext({ scope: "agent", agentId: randomUUID() }, "body.agentId");
    await refusesContext({ scope: "global", sessionId: s.id }, "body.sessionId");
    await refusesContext({ scope: "temporary" }, "body.expiresAt");
    await refusesContext({ scope: "temporary", expiresAt: "2000-01-01T00:00:00Z" }, "body.expiresAt");
    await refusesContext({ scope: "global", ttlSeconds: 60 }, "body.ttlSeconds");
    await refusesContext({ scope: "global", name: "" }, "body.name");
    await refusesContext({ scope: "global", data: { a: "x\u0000" } }, "body.data");
    await expectError(send("POST", "/contexts", '{"scope": "global",'), 400, "INVALID_INPUT");
    const big = await expectError(
      send("POST", "/contexts", { scope: "global", data: { blob: "x".repeat(300 * 1024) } }),
      413,
      "PAYLOAD_TOO_LARGE",
      "body.data",
    );
    expect(big.message).toMatch(/limit is 262144/);

    const c = await h.api.call("createContext", {
      body: { scope: "session", sessionId: s.id, data: { blob: "x".repeat(200 * 1024) } },
    });
    await expectError(
      send("PUT", `/contexts/${c.id}/keys/more`, { value: "y".repeat(100 * 1024) }),
      413,
      "PAYLOAD_TOO_LARGE",
      "body.value",
    );
    await expectError(send("PATCH", `/contexts/${c.id}`, {}), 400, "INVALID_INPUT");
    await expectError(send("PATCH", `/contexts/${c.id}`, { data: {}, merge: {} }), 400, "INVALID_INPUT", "body.merge");
    await expectError(
      send("PATCH", `/contexts/${c.id}`, { expectedVersion: 0, data: {} }),
      400,
      "INVALID_INPUT",
      "body.expectedVersion",
    );
    await expectError(
      send("PATCH", `/contexts/${c.id}`, { expectedVersion: "1", data: {} }),
      400,
      "INVALID_INPUT",
      "body.expectedVersion",
    );
    await expectError(send("GET", "/contexts/not-a-uuid"), 400, "INVALID_INPUT", "params.id");
    await expectError(send("GET", `/contexts/${randomUUID()}`), 404, "NOT_FOUND");
    await expectError(send("GET", `/contexts/${c.id}/diff/zzz`), 400, "INVALID_INPUT", "params.otherId");
    await expectError(
      send("DELETE", `/contexts/${c.id}?expectedVersion=abc`),
      400,
      "INVALID_INPUT",
      "query.expectedVersion",
    );
    await expectError(send("GET", "/contexts?scope=nope"), 400, "INVALID_INPUT", "query.scope.0");
    await expectError(send("GET", "/contexts?cursor=garbage"), 400, "INVALID_INPUT", "query.cursor");
    await expectError(send("GET", "/contexts?limit=500"), 400, "INVALID_INPUT", "query.limit");
    await expectError(
      send("POST", "/contexts/merge", { sourceId: c.id, targetId: c.id, strategy: "deep_merge" }),
      400,
      "INVALID_INPUT",
      "body.targetId",
    );
    await expectError(
      send("POST", "/contexts/merge", { sourceId: c.id, targetId: randomUUID(), strategy: "union" }),
      400,
      "INVALID_INPUT",
      "body.strategy",
    );
    await expectError(
      send("POST", "/contexts/merge", { sourceId: c.id, targetId: randomUUID(), strategy: "manual" }),
      404,
      "NOT_FOUND",
    );
    await expectError(
      send("POST", `/contexts/${c.id}/promote`, { scope: "global" }),
      400,
      "INVALID_INPUT",
      "body.scope",
    );
  });
});

const userText = (r: RecordedRequest): string[] =>
  r.messages
    .filter((m) => m.role === "user")
    .map((m) =>
      typeof m.content === "string"
        ? m.content
        : Array.isArray(m.content)
          ? m.content.map((p) => (typeof p === "string" ? p : ((p as { text?: string }).text ?? ""))).join("\n")
          : "",
    );

describe(`contexts reach the agent and come back (${process.env.ORCHESTRATOR_TEST_DB}, real OpenCode)`, () => {
  it("opens the first prompt with the session's and global contexts, and writes the final answer's block back", async () => {
    const marker = `ctx-${randomUUID().slice(0, 8)}`;
    const answer = 'Reviewed the module.\n```orchestrator-context\n{"findings": {"auth": "uses JWT"}, "count": 2}\n```';
    const s = await h.api.call("createSession", {
      body: {
        title: marker,
        prompt: scripted(`review the module (${marker})`, [{ text: answer }]),
        start: false,
        directory: dir.path,
        retry: { maxAttempts: 1 },
      },
    });
    const own = await h.api.call("createContext", {
      body: { scope: "session", sessionId: s.id, data: { known: { repo: "demo" }, count: 1 } },
    });
    const global = await h.api.call("createContext", {
      body: { scope: "global", name: `conventions-${marker}`, data: { style: "tabs" } },
    });
    const other = await heldSession();
    const elsewhere = await h.api.call("createContext", {
      body: { scope: "session", sessionId: other.id, data: { secret: "not for you" } },
    });

    await h.api.call("startSession", { params: { id: s.id } });
    const done = await waitForStatus(h.api, s.id, ["completed", "failed"], 150_000);
    expect(done.status, done.statusReason ?? "").toBe("completed");

    // The scripted model's request log: the first prompt of the attempt starts with the contexts.
    const prompts = h.orc
      .scriptedModel!.requests()
      .filter((r) => r.tools.length > 0)
      .flatMap(userText)
      .filter((t) => t.includes(marker));
    expect(prompts.length).toBeGreaterThan(0);
    const prompt = prompts[0]!;
    expect(prompt.startsWith("Shared contexts of this session")).toBe(true);
    const block = JSON.parse(prompt.split("```json\n")[1]!.split("\n```")[0]!) as ContextView[];
    expect(block.map((c) => c.id)).toEqual([own.id, global.id]);
    expect(block[0]).toEqual({
      id: own.id,
      scope: "session",
      name: null,
      version: 1,
      data: { known: { repo: "demo" }, count: 1 },
    });
    expect(prompt).not.toContain(elsewhere.id);
    expect(prompt).toContain("end your final answer with a fenced block opened by ```orchestrator-context");
    // The session's own prompt follows, its SCRIPT line last.
    expect(prompt.indexOf(`review the module (${marker})`)).toBeGreaterThan(prompt.indexOf("```orchestrator-context"));
    expect(prompt).toContain(`SCRIPT: ${JSON.stringify([{ text: answer }])}`);

    // Written back into the session's own context at the end: deep-merged, one version more.
    expect(done.result?.summary).toContain("orchestrator-context");
    const after = await h.api.call("getContext", { params: { id: own.id } });
    expect(after).toMatchObject({
      version: 2,
      data: { known: { repo: "demo" }, count: 2, findings: { auth: "uses JWT" } },
    });
    const log = (await allEvents(h.api, s.id)).filter(
      (e) =>
        e.type === "session.log" &&
        String((e.payload as { text: string }).text).startsWith(`context ${own.id} updated`),
    );
    expect(log).toHaveLength(1);
    expect((log[0]!.payload as { text: string }).text).toBe(
      `context ${own.id} updated from the final answer: version 2, keys count, findings`,
    );
    // The global context and the other session's are untouched.
    expect((await h.api.call("getContext", { params: { id: global.id } })).version).toBe(1);
    expect((await h.api.call("getContext", { params: { id: elsewhere.id } })).version).toBe(1);
    await h.api.call("deleteContext", { params: { id: global.id }, query: {} });
  }, 240_000);

  it("creates the session's context from a write-back when it has none, and logs a block it cannot use", async () => {
    const good = await h.api.call("createSession", {
      body: {
        prompt: scripted("note it", [{ text: 'Noted.\n```orchestrator-context {"decision": "use postgres"}```' }]),
        directory: dir.path,
        retry: { maxAttempts: 1 },
      },
    });
    const bad = await h.api.call("createSession", {
      body: {
        prompt: scripted("note badly", [{ text: "Noted.\n```orchestrator-context\n[1, 2]\n```" }]),
        directory: dir.path,
        retry: { maxAttempts: 1 },
      },
    });
    for (const s of [good, bad])
      expect((await waitForStatus(h.api, s.id, ["completed", "failed"], 150_000)).status).toBe("completed");

    const created = await h.api.call("listContexts", { query: { sessionId: good.id } });
    expect(created.items).toHaveLength(1);
    expect(created.items[0]).toMatchObject({
      scope: "session",
      name: null,
      version: 1,
      data: { decision: "use postgres" },
    });
    expect((await h.api.call("listContexts", { query: { sessionId: bad.id } })).total).toBe(0);
    const warnings = (await allEvents(h.api, bad.id)).filter(
      (e) =>
        e.type === "session.log" &&
        (e.payload as { source: string }).source === "orchestrator" &&
        String((e.payload as { text: string }).text).includes("orchestrator-context"),
    );
    expect(warnings.map((e) => e.payload)).toEqual([
      {
        level: "warn",
        source: "orchestrator",
        text: "the final answer's orchestrator-context block was not written: not a JSON object",
      },
    ]);
  }, 240_000);
});
