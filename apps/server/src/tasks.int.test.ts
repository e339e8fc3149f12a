import { execFileSync } from "node:child_process";
import type { ApiClient, TaskView } from "@industrial/contracts";
import { waitFor } from "@industrial/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scripted, startTestOrchestrator, type TestOrchestrator } from "./testing/harness";
import { apiError } from "./testing/http";

let h: TestOrchestrator;
beforeAll(async () => {
  // A leaf that fails on purpose must not open the default agent's breaker for the next test.
  h = await startTestOrchestrator({
    env: { ORCHESTRATOR_BREAKER_COOLDOWN_SECONDS: "1", ORCHESTRATOR_DEFAULT_AGENT_CONCURRENCY: "4" },
  });
});
afterAll(async () => h?.close());

const writeFile = (path: string, content: string, extra: unknown[] = []) =>
  scripted(`write ${path}`, [
    ...extra,
    { tool: "write", input: { filePath: path, content } },
    { text: `wrote ${path}` },
  ]);

async function waitForTree(api: ApiClient, rootId: string, timeoutMs = 200_000): Promise<TaskView> {
  return waitFor(
    async () => {
      const t = await api.call("getTask", { params: { id: rootId } });
      return t.execution?.state === "finished" ? t : null;
    },
    `task tree ${rootId} to finish`,
    { timeoutMs, intervalMs: 250 },
  );
}

const git = (repo: string, ...args: string[]) => execFileSync("git", ["-C", repo, ...args], { encoding: "utf8" });

describe(`tasks (${process.env.ORCHESTRATOR_TEST_DB})`, () => {
  it("builds a tree and a DAG: cycles refused with the cycle named, critical path by hours, bad input named", async () => {
    const root = await h.api.call("createTask", {
      body: { title: "Ship the billing service", description: "design, build and test it" },
    });
    expect(root).toMatchObject({
      parentTaskId: null,
      rootTaskId: root.id,
      status: "pending",
      progress: { done: 0, total: 1 },
    });
    expect(root.estimate.source).toBe("heuristic");
    const mk = (title: string, likely: number) =>
      h.api.call("createTask", {
        body: { title, parentTaskId: root.id, estimate: { optimistic: likely, likely, pessimistic: likely } },
      });
    const a = await mk("A", 1);
    const b = await mk("B", 1);
    const c = await mk("C", 1);
    const long = await mk("Long", 10);
    expect(a.estimate).toMatchObject({ expected: 1, source: "manual" });
    expect(long.complexity).toBe("expert");
    // A → B → C by edges (3 tasks, 3 h); Long alone is 10 h: the critical path is the hours, not the edges.
    await h.api.call("addDependency", { params: { id: b.id }, body: { dependsOnTaskId: a.id } });
    await h.api.call("addDependency", { params: { id: c.id }, body: { dependsOnTaskId: b.id } });
    const cycle = await apiError(
      h.api.call("addDependency", { params: { id: a.id }, body: { dependsOnTaskId: c.id } }),
    );
    expect(cycle.status).toBe(409);
    expect(cycle.code).toBe("DEPENDENCY_CYCLE");
    expect(cycle.message).toMatch(/A.*C.*B.*A|A.*B.*C.*A/);

    const graph = await h.api.call("taskGraph", { params: { id: root.id } });
    expect(graph.criticalPath).toEqual([long.id]);
    expect(graph.totalHours).toBeCloseTo(10, 9);
    const node = (id: string) => graph.nodes.find((n) => n.id === id)!;
    expect(node(a.id)).toMatchObject({ earliestStart: 0, latestStart: 7, slack: 7, critical: false });
    expect(node(c.id)).toMatchObject({ earliestStart: 2, latestStart: 9, slack: 7 });
    expect(node(long.id)).toMatchObject({ slack: 0, critical: true });
    expect(graph.edges).toHaveLength(2);
    // A → B → C has slack: neither edge is on the critical path.
    expect(graph.edges.map((e) => e.critical)).toEqual([false, false]);

    const tree = await h.api.call("taskTree", { params: { id: root.id } });
    expect(tree.root.children.map((t) => t.title)).toEqual(["A", "B", "C", "Long"]);
    expect(tree.root.progress).toEqual({ done: 0, total: 4, percent: 0 });

    const templates = await h.api.call("taskTemplates", {});
    expect(templates.items.map((t) => t.name).sort()).toEqual([
      "crud",
      "microservice",
      "refactoring",
      "security",
      "ui",
      "web_service",
    ]);

    const bad = await apiError(
      h.api.call("createTask", {
        body: { title: "", estimate: { optimistic: 3, likely: 1, pessimistic: 2 } } as never,
      }),
    );
    expect(bad.status).toBe(400);
    expect(bad.envelope.details?.map((d) => d.path)).toEqual(expect.arrayContaining(["body.title"]));
    const list = await h.api.call("listTasks", { query: { root: "true" } });
    expect(list.items.map((t) => t.id)).toContain(root.id);
    const paged = await h.api.call("listTasks", { query: { parentTaskId: root.id, limit: 2 } });
    expect(paged.total).toBe(4);
    const rest = await h.api.call("listTasks", {
      query: { parentTaskId: root.id, limit: 2, cursor: paged.nextCursor! },
    });
    expect([...paged.items, ...rest.items].map((t) => t.title).sort()).toEqual(["A", "B", "C", "Long"]);
    expect(rest.nextCursor).toBeNull();
    expect((await apiError(h.api.call("listTasks", { query: { cursor: "garbage" } }))).envelope.details).toEqual([
      expect.objectContaining({ path: "query.cursor" }),
    ]);
    expect((await h.api.call("deleteTask", { params: { id: root.id } })).ids).toHaveLength(5);
  });

  it("decomposes with the crud template and executes it: four sessions in parallel, tests after them, every file on the integration branch", async () => {
    const root = await h.api.call("createTask", {
      body: { title: "Customer records", description: "CRUD endpoints for customer records" },
    });
    const d = await h.api.call("decomposeTask", { params: { id: root.id }, body: { template: "crud", maxDepth: 1 } });
    expect(d.template).toBe("crud");
    expect(d.tasks).toHaveLength(5);
    const [create, read, update, del, tests] = d.tasks as [TaskView, TaskView, TaskView, TaskView, TaskView];
    expect(
      d.dependencies
        .filter((e) => e.taskId === tests.id)
        .map((e) => e.dependsOnTaskId)
        .sort(),
    ).toEqual([create.id, read.id, update.id, del.id].sort());
    // Create and Read (0.2 each) both lead into Tests on the critical path; Update and Delete (0.15) have slack.
    const graph = await h.api.call("taskGraph", { params: { id: root.id } });
    const critical = Object.fromEntries(graph.edges.map((e) => [e.dependsOnTaskId, e.critical]));
    expect(critical).toEqual({ [create.id]: true, [read.id]: true, [update.id]: false, [del.id]: false });
    // Each leaf gets a script: the scripted model writes one file per task.
    for (const [t, file] of [
      [create, "create.txt"],
      [read, "read.txt"],
      [update, "update.txt"],
      [del, "delete.txt"],
    ] as const)
      await h.api.call("patchTask", {
        params: { id: t.id },
        body: { description: writeFile(file, `${file}\n`, [{ sleep_ms: 1500 }]) },
      });
    await h.api.call("patchTask", {
      params: { id: tests.id },
      body: { description: writeFile("tests.txt", "all four\n") },
    });

    const started = await h.api.call("executeTask", { params: { id: root.id }, body: {} });
    expect(started.execution).toMatchObject({
      state: "running",
      branch: expect.stringMatching(/^orchestrator\/tree-/),
    });
    const done = await waitForTree(h.api, root.id);
    expect(done.status).toBe("completed");
    expect(done.progress).toEqual({ done: 5, total: 5, percent: 100 });

    const tree = await h.api.call("taskTree", { params: { id: root.id } });
    const leaves = tree.root.children;
    expect(leaves.every((t) => t.status === "completed" && t.result?.mergedCommit)).toBe(true);
    const sessions = await Promise.all(leaves.map((t) => h.api.call("getSession", { params: { id: t.sessionId! } })));
    const ops = sessions.slice(0, 4);
    // The four ran at once: every one started before any of them finished.
    const lastStart = Math.max(...ops.map((s) => Date.parse(s.startedAt!)));
    const firstEnd = Math.min(...ops.map((s) => Date.parse(s.finishedAt!)));
    expect(lastStart).toBeLessThan(firstEnd);
    // The tests task started only after all four completed.
    const lastEnd = Math.max(...ops.map((s) => Date.parse(s.finishedAt!)));
    expect(Date.parse(sessions[4]!.startedAt!)).toBeGreaterThanOrEqual(lastEnd);
    expect(sessions.every((s) => s.taskId !== null)).toBe(true);

    const { repository, branch } = done.execution!;
    for (const f of ["create.txt", "read.txt", "update.txt", "delete.txt", "tests.txt"])
      expect(git(repository, "show", `${branch}:${f}`)).toBe(f === "tests.txt" ? "all four\n" : `${f}\n`);
    // The tests session's branch was cut from the integration branch after the four merged.
    expect(git(repository, "ls-tree", "--name-only", sessions[4]!.workspace.baseCommit!).split("\n")).toEqual(
      expect.arrayContaining(["create.txt", "delete.txt"]),
    );
    // The integration branch is on the work remote too (the embedded default: a bare repository in the data dir), every merge in.
    const workRemote = h.orc.workRemote.remote.url;
    const head = git(repository, "rev-parse", branch).trim();
    await waitFor(
      async () => git(workRemote, "rev-parse", "--verify", "--quiet", `refs/heads/${branch}`).trim() === head || null,
      "integration branch on the work remote",
      { timeoutMs: 20_000, intervalMs: 200 },
    );
    expect(git(workRemote, "rev-parse", `refs/heads/${branch}`).trim()).toBe(head);
    expect(git(workRemote, "show", `${branch}:tests.txt`)).toBe("all four\n");
  }, 240_000);

  it("blocks the dependants of a failed leaf while independent branches finish: the root ends partially_completed", async () => {
    const root = await h.api.call("createTask", { body: { title: "Mixed fortunes" } });
    const leaf = (title: string, description: string) =>
      h.api.call("createTask", { body: { title, description, parentTaskId: root.id } });
    const failing = await leaf(
      "Failing",
      scripted("fail", [{ error: { status: 400, message: "invalid_request_error: scripted failure" } }]),
    );
    const dependant = await leaf("Dependant", writeFile("dependant.txt", "never\n"));
    const independent = await leaf("Independent", writeFile("independent.txt", "fine\n"));
    await h.api.call("addDependency", { params: { id: dependant.id }, body: { dependsOnTaskId: failing.id } });
    await h.api.call("executeTask", { params: { id: root.id } });
    const done = await waitForTree(h.api, root.id);
    expect(done.status).toBe("partially_completed");
    const byId = new Map(
      (await h.api.call("taskTree", { params: { id: root.id } })).root.children.map((t) => [t.id, t]),
    );
    expect(byId.get(failing.id)!.status).toBe("failed");
    expect(byId.get(dependant.id)).toMatchObject({ status: "blocked", sessionId: null });
    expect(byId.get(dependant.id)!.error?.message).toMatch(/Failing/);
    expect(byId.get(independent.id)!.status).toBe("completed");
    expect(done.progress).toEqual({ done: 1, total: 3, percent: 33 });
  }, 180_000);

  it("fails the second of two tasks that edit the same line with a merge conflict naming the file", async () => {
    const root = await h.api.call("createTask", { body: { title: "Two editors" } });
    // Both wait before writing, so both branches are cut before either is merged.
    const wait = [{ sleep_ms: 3000 }];
    const one = await h.api.call("createTask", {
      body: { title: "One", description: writeFile("shared.txt", "one\n", wait), parentTaskId: root.id },
    });
    const two = await h.api.call("createTask", {
      body: { title: "Two", description: writeFile("shared.txt", "two\n", wait), parentTaskId: root.id },
    });
    await h.api.call("executeTask", { params: { id: root.id } });
    const done = await waitForTree(h.api, root.id);
    expect(done.status).toBe("partially_completed");
    const [a, b] = await Promise.all([one, two].map((t) => h.api.call("getTask", { params: { id: t.id } })));
    const failed = [a!, b!].filter((t) => t.status === "failed");
    expect(failed).toHaveLength(1);
    expect(failed[0]!.error).toMatchObject({ paths: ["shared.txt"], message: expect.stringContaining("shared.txt") });
    const winner = [a!, b!].find((t) => t.status === "completed")!;
    const sessions = await Promise.all([a!, b!].map((t) => h.api.call("getSession", { params: { id: t.sessionId! } })));
    expect(sessions[0]!.workspace.baseCommit).toBe(sessions[1]!.workspace.baseCommit);
    expect(git(done.execution!.repository, "show", `${done.execution!.branch}:shared.txt`)).toBe(
      winner.title === "One" ? "one\n" : "two\n",
    );
  }, 180_000);

  it("plans with the LLM planner: a valid JSON plan creates the tasks; an invalid one is a 422 with the messages and creates nothing", async () => {
    const plan = {
      tasks: [
        {
          key: "schema",
          title: "Design the schema",
          description: "tables",
          requiredCapabilities: ["system_design"],
          hours: { optimistic: 1, likely: 2, pessimistic: 3 },
        },
        {
          key: "api",
          title: "Build the API",
          description: "endpoints",
          hours: { optimistic: 2, likely: 3, pessimistic: 4 },
          dependsOn: ["schema"],
        },
      ],
    };
    const answer = (json: unknown) =>
      scripted("plan it", [{ text: `Here is the plan.\n\`\`\`json\n${JSON.stringify(json)}\n\`\`\`` }]);
    const good = await h.api.call("createTask", { body: { title: "Inventory service", description: answer(plan) } });
    const d = await h.api.call("decomposeTask", { params: { id: good.id }, body: { planner: "llm" } });
    expect(d.planner).toBe("llm");
    expect(d.sessionId).not.toBeNull();
    expect(d.tasks.map((t) => t.title)).toEqual(["Design the schema", "Build the API"]);
    expect(d.dependencies).toEqual([
      expect.objectContaining({ taskId: d.tasks[1]!.id, dependsOnTaskId: d.tasks[0]!.id, type: "finish_to_start" }),
    ]);
    const planning = await h.api.call("getSession", { params: { id: d.sessionId! } });
    expect(planning).toMatchObject({ type: "planning", status: "completed", taskId: good.id });

    const invalid = {
      tasks: [{ key: "x", title: "", hours: { optimistic: 5, likely: 1, pessimistic: 2 }, dependsOn: ["nowhere"] }],
    };
    const bad = await h.api.call("createTask", { body: { title: "Broken plan", description: answer(invalid) } });
    const e = await apiError(h.api.call("decomposeTask", { params: { id: bad.id }, body: { planner: "llm" } }));
    expect(e.status).toBe(422);
    expect(e.envelope.details?.length).toBeGreaterThan(0);
    expect(e.message).toMatch(/title/);
    expect((await h.api.call("taskTree", { params: { id: bad.id } })).root.children).toEqual([]);
  }, 120_000);
});
