import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { tempDir } from "@industrial/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startCliHarness, type CliHarness } from "./testing/cli-harness";

/**
 * `orchestrator tasks …` as people run it, against a real orchestrator (see
 * testing/cli-harness.ts). The tree built here, under "Users API":
 *   Design the schema 2 h ─┬─▶ Create endpoint 1 h ─┐
 *                          └─▶ Read endpoint 3 h ───┴─▶ Tests 2 h
 * so the critical path is Design → Read → Tests, 7 h.
 */
let harness: CliHarness;
const files = tempDir("orch-cli-tasks-");
const cli = (...args: string[]) => harness.cli(...args);

interface TaskJson {
  id: string;
  title: string;
  status: string;
  parentTaskId: string | null;
  estimate: { expected: number };
  progress: { percent: number };
  children?: TaskJson[];
}

/** `tasks add … --json` → the created task's id (the document is `{task, dependencies}`). */
async function add(...args: string[]): Promise<string> {
  const r = await cli("tasks", "add", ...args, "--json");
  expect(r.code, r.stderr).toBe(0);
  return (JSON.parse(r.stdout) as { task: TaskJson }).task.id;
}

const short = (id: string) => id.slice(0, 8);
const ids: Record<string, string> = {};

beforeAll(async () => {
  harness = await startCliHarness();
});

afterAll(async () => {
  await harness?.stop();
  files.remove();
});

describe("orchestrator tasks against a real server", () => {
  it("tasks add creates a root and subtasks with estimates, a description file and --depends-on", async () => {
    const descriptionFile = join(files.path, "users.md");
    writeFileSync(descriptionFile, "A REST API for users.\nWith tests.\n");
    const root = await cli(
      "tasks",
      "add",
      "Users API",
      "--description-file",
      descriptionFile,
      "--estimate",
      "6,8,10",
      "--priority",
      "high",
    );
    expect(root.code, root.stderr).toBe(0);
    expect(root.stdout).toMatch(/^added task [0-9a-f]{8} Users API$/m);
    const rootId = /^id\s+([0-9a-f-]{36})$/m.exec(root.stdout)?.[1];
    expect(rootId, root.stdout).toBeDefined();
    expect(root.stdout).toMatch(/^description\s+A REST API for users\. \(\+1 more line\)$/m);
    expect(root.stdout).toMatch(/^estimate\s+8 h expected \(6 \/ 8 \/ 10 h/m);
    expect(root.stdout).toMatch(/^priority\s+high$/m);

    ids.root = rootId!;
    ids.design = await add(
      "Design the schema",
      "--parent",
      ids.root,
      "--estimate",
      "2,2,2",
      "--capability",
      "code_generation",
    );
    ids.create = await add(
      "Create endpoint",
      "--parent",
      ids.root,
      "--estimate",
      "1,1,1",
      "--depends-on",
      short(ids.design),
    );
    ids.read = await add(
      "Read endpoint",
      "--parent",
      ids.root,
      "--estimate",
      "3,3,3",
      "--depends-on",
      `${short(ids.design)}:finish_to_start`,
    );
    const tests = await cli(
      "tasks",
      "add",
      "Tests",
      "--parent",
      ids.root,
      "--estimate",
      "2,2,2",
      "--depends-on",
      short(ids.create),
      "--depends-on",
      short(ids.read),
      "--json",
    );
    expect(tests.code, tests.stderr).toBe(0);
    const doc = JSON.parse(tests.stdout) as {
      task: TaskJson;
      dependencies: { taskId: string; dependsOnTaskId: string; type: string }[];
    };
    ids.tests = doc.task.id;
    expect(doc.task).toMatchObject({
      title: "Tests",
      parentTaskId: expect.stringMatching(new RegExp(`^${ids.root}`)),
      estimate: { expected: 2 },
    });
    expect(doc.dependencies.map((d) => [d.dependsOnTaskId, d.type])).toEqual([
      [ids.create, "finish_to_start"],
      [ids.read, "finish_to_start"],
    ]);
  });

  it("tasks add names the option it cannot use (exit 2) and the prefix it cannot find (exit 3)", async () => {
    const estimate = await cli("tasks", "add", "x", "--estimate", "4,2,1");
    expect(estimate.code).toBe(2);
    expect(estimate.stderr).toContain('invalid --estimate: "4,2,1": must satisfy optimistic ≤ likely ≤ pessimistic');
    const type = await cli("tasks", "add", "x", "--depends-on", `${short(ids.design!)}:after`);
    expect(type.code).toBe(2);
    expect(type.stderr).toContain("invalid --depends-on:");
    const missing = await cli("tasks", "add", "x", "--parent", "ffffffff");
    expect(missing.code).toBe(3);
    expect(missing.stderr).toContain("--parent: no task id starts with ffffffff");
    // Nothing was created by the failed calls.
    const ls = await cli("tasks", "ls", "--json");
    expect((JSON.parse(ls.stdout) as { total: number }).total).toBe(5);
  });

  it("tasks ls shows the table, filters roots and children", async () => {
    const r = await cli("tasks", "ls");
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trim().split("\n");
    expect(lines[0]).toMatch(/^ID\s+TITLE\s+STATUS\s+COMPLEXITY\s+HOURS\s+PROGRESS$/);
    expect(lines.find((l) => l.includes("Read endpoint"))).toMatch(
      new RegExp(`^${short(ids.read!)}\\s+Read endpoint\\s+pending\\s+moderate\\s+3 h\\s+0%$`),
    );
    expect(lines).toHaveLength(6);

    const roots = JSON.parse((await cli("tasks", "ls", "--root", "--json")).stdout) as { items: TaskJson[] };
    expect(roots.items.map((t) => t.title)).toEqual(["Users API"]);
    const children = await cli(
      "tasks",
      "ls",
      "--parent",
      ids.root!,
      "--status",
      "pending,ready",
      "--limit",
      "2",
      "--all",
    );
    expect(children.code, children.stderr).toBe(0);
    expect(children.stdout.trim().split("\n")).toHaveLength(5);
  });

  it("tasks tree draws the tree with progress and each task's dependencies", async () => {
    const r = await cli("tasks", "tree", ids.root!);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(new RegExp(`^${short(ids.root!)} Users API\\s+(pending|ready)\\s+░{10}\\s+0%\\s+8 h$`));
    expect(lines[1]).toMatch(new RegExp(`^├── ${short(ids.design!)} Design the schema\\s+(pending|ready)\\s+2 h$`));
    expect(lines).toContain("│      ← waits for Design the schema (finish_to_start)");
    expect(lines.at(-2)).toMatch(/^└── [0-9a-f]{8} Tests\s+pending\s+2 h$/);
    expect(lines.at(-1)).toBe("       ← waits for Create endpoint, Read endpoint (finish_to_start)");
    const json = JSON.parse((await cli("tasks", "tree", short(ids.root!), "--json")).stdout) as {
      root: TaskJson;
      dependencies: unknown[];
    };
    expect(json.root.children?.map((c) => c.title)).toEqual([
      "Design the schema",
      "Create endpoint",
      "Read endpoint",
      "Tests",
    ]);
    expect(json.dependencies).toHaveLength(4);
  });

  it("tasks graph draws the DAG with hours and slack, and ends with the critical path", async () => {
    const r = await cli("tasks", "graph", short(ids.root!));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("*Design the schema (2h, slack 0) ─┬─▶ Create endpoint (1h, slack 2h) ─┐");
    expect(r.stdout).toMatch(/└─▶ \*Read endpoint \(3h, slack 0\) ─+┴─▶ \*Tests \(2h, slack 0\)/);
    expect(r.stdout.trimEnd().split("\n").at(-1)).toBe(
      "critical path: Design the schema → Read endpoint → Tests (7 h)",
    );
    const json = JSON.parse((await cli("tasks", "graph", ids.root!, "--json")).stdout) as {
      criticalPath: string[];
      totalHours: number;
    };
    expect(json).toMatchObject({ criticalPath: [ids.design, ids.read, ids.tests], totalHours: 7 });
  });

  it("a dependency that closes a cycle exits 4 and names the cycle", async () => {
    const r = await cli("tasks", "depend", short(ids.design!), short(ids.tests!));
    expect(r.code).toBe(4);
    expect(r.stderr).toContain("dependency cycle");
    expect(r.stderr).toContain("DEPENDENCY_CYCLE (HTTP 409)");
    // The shortest cycle through the new edge: Design → Tests → Create (or Read) → Design.
    expect(r.stderr.split("\n")[0]).toMatch(
      /^error: dependency cycle: "Design the schema" → "Tests" → "(Create|Read) endpoint" → "Design the schema"$/,
    );
    const json = await cli("tasks", "depend", short(ids.design!), short(ids.tests!), "--json");
    expect(json.code).toBe(4);
    expect(JSON.parse(json.stdout)).toMatchObject({ error: { code: "DEPENDENCY_CYCLE", exitCode: 4 } });
    // A dependency that closes nothing is added.
    const ok = await cli("tasks", "depend", short(ids.tests!), `${short(ids.design!)}:start_to_start`);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toBe(`${short(ids.tests!)} now waits for ${short(ids.design!)} (start_to_start)\n`);
  });

  it("tasks decompose --template crud creates the 5 subtasks and prints them as a tree", async () => {
    const orders = await add("Orders service", "--estimate", "4,5,6");
    const r = await cli("tasks", "decompose", short(orders), "--template", "crud");
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines[0]).toBe(`decomposed ${short(orders)} with the crud template: 5 subtasks, 4 dependencies`);
    const titles = lines.filter((l) => /^[├└]── [0-9a-f]{8} /.test(l)).map((l) => l.split(/\s+/)[2]);
    expect(titles).toEqual(["Create", "Read", "Update", "Delete", "Tests"].map((t) => expect.stringContaining(t)));
    // In tree order, whatever order the edges were written in.
    expect(lines.at(-1)).toMatch(
      /^ {7}← waits for Create[^,]*, Read[^,]*, Update[^,]*, Delete[^,]* \(finish_to_start\)$/,
    );

    const again = await cli("tasks", "decompose", short(orders), "--template", "crud");
    expect(again.code).toBe(4);
    const usage = await cli("tasks", "decompose", short(orders), "--template", "crud", "--heuristics");
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain("give one of --template, --heuristics, --llm");
    const agent = await cli("tasks", "decompose", short(orders), "--agent", "default");
    expect(agent.code).toBe(2);
    expect(agent.stderr).toContain("invalid --agent: --agent chooses the LLM planner's agent: it goes with --llm");
  });

  it("tasks show and tasks cancel; an unknown id exits 3", async () => {
    const show = await cli("tasks", "show", short(ids.read!));
    expect(show.code, show.stderr).toBe(0);
    expect(show.stdout).toMatch(/^title\s+Read endpoint$/m);
    expect(show.stdout).toMatch(new RegExp(`^parent\\s+${ids.root}$`, "m"));
    const cancel = await cli("tasks", "cancel", short(ids.root!));
    expect(cancel.code, cancel.stderr).toBe(0);
    expect(cancel.stdout).toMatch(/^cancel: [0-9a-f]{8} Users API is cancelled$/m);
    const tree = JSON.parse((await cli("tasks", "tree", ids.root!, "--json")).stdout) as { root: TaskJson };
    expect(tree.root.children?.map((c) => c.status)).toEqual(["cancelled", "cancelled", "cancelled", "cancelled"]);
    const missing = await cli("tasks", "show", "00000000-0000-4000-8000-000000000000");
    expect(missing.code).toBe(3);
    expect(missing.stderr).toContain("orchestrator tasks ls");
  });

  it(
    "tasks execute --wait runs a one-task tree with the scripted model and exits 0 when it completed",
    { timeout: 120_000 },
    async () => {
      const script = 'SCRIPT: [{"tool":"write","input":{"filePath":"hello.txt","content":"hi\\n"}},{"text":"done"}]';
      const id = await add("Write hello", "--description", `Write hello.txt\n${script}`, "--estimate", "0.1,0.1,0.1");
      const r = await cli("tasks", "execute", short(id), "--wait");
      expect(r.code, r.stderr).toBe(0);
      // Piped: the progress is plain lines on stderr, the final tree and outcome on stdout.
      expect(r.stderr).toMatch(
        /^executing [0-9a-f]{8} Write hello: integration branch orchestrator\/tree-[0-9a-f]{8} of /m,
      );
      expect(r.stderr).toMatch(/100% \(1\/1 leaves\), execution finished$/m);
      expect(r.stdout).toMatch(/^[0-9a-f]{8} Write hello\s+completed\s+0\.1 h$/m);
      expect(r.stdout).toMatch(/^✓ execution finished: completed, 100% \(1\/1 leaves\)$/m);
      const again = await cli("tasks", "execute", short(id));
      expect(again.code).toBe(4);
    },
  );
});
