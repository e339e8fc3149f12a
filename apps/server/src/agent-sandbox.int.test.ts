import { mkdirSync, symlinkSync } from "node:fs";
import { dirname, join } from "node:path";
import { AgentSchema, createApiClient, type AgentView } from "@industrial/contracts";
import { DEFAULT_AGENT_SANDBOX } from "@industrial/core";
import { bearer, tempDir } from "@industrial/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestOrchestrator, type TestOrchestrator } from "./testing/harness";
import { expectError, sendJson } from "./testing/http";

/**
 * An agent's sandbox policy over the HTTP API: the defaults (the service's
 * and the column's), partial changes, each bad value named, mounts set only by
 * an admin and never over the orchestrator's data dir.
 */
let h: TestOrchestrator;
let lead: { key: string };
const outside = tempDir("orch-sandbox-mounts-");

beforeAll(async () => {
  h = await startTestOrchestrator();
  lead = await h.api.call("createApiKey", { body: { name: "sandbox-lead", role: "lead" } });
});
afterAll(async () => {
  await h?.close();
  outside.remove();
});

const send = (method: string, path: string, body?: unknown, key?: string) =>
  sendJson(h.orc.url, method, path, body, key);
const asLead = () => createApiClient({ baseUrl: h.orc.url, headers: bearer(lead.key) });
let n = 0;
const name = () => `sandboxed-${++n}`;
const create = (sandbox?: unknown, key?: string) =>
  send("POST", "/agents", { name: name(), type: "implementer", ...(sandbox === undefined ? {} : { sandbox }) }, key);
const created = async (sandbox?: unknown, key?: string): Promise<AgentView> => {
  const r = await create(sandbox, key);
  expect(r.status, JSON.stringify(r.json)).toBe(201);
  return AgentSchema.parse(r.json);
};

describe(`agent sandbox policy over the HTTP API (${process.env.ORCHESTRATOR_TEST_DB})`, () => {
  it("gives a new agent, the default agent and a row the migration filled the default policy", async () => {
    const a = await created();
    expect(a.sandbox).toEqual(DEFAULT_AGENT_SANDBOX);
    expect((await h.api.call("getAgent", { params: { id: a.id } })).sandbox).toEqual(DEFAULT_AGENT_SANDBOX);
    const list = await h.api.call("listAgents", { query: {} });
    for (const agent of list.items) expect(agent.sandbox, agent.name).toEqual(DEFAULT_AGENT_SANDBOX);
    expect(list.items.map((x) => x.name)).toContain("default");

    // The column's default (what migration 0013 gave every existing agent) is core's default, the same JSON.
    const changed = await created({ network: "none", memoryMb: 1024, mounts: [{ path: outside.path, mode: "ro" }] });
    await h.orc.db.query("UPDATE agents SET sandbox = DEFAULT WHERE id = $1", [changed.id]);
    expect((await h.api.call("getAgent", { params: { id: changed.id } })).sandbox).toEqual(DEFAULT_AGENT_SANDBOX);
  });

  it("merges a partial policy over the defaults on create and over the current one on PATCH", async () => {
    const a = await created({ network: "none", memoryMb: 2048 });
    expect(a.sandbox).toEqual({ ...DEFAULT_AGENT_SANDBOX, network: "none", memoryMb: 2048 });

    const p1 = await h.api.call("patchAgent", {
      params: { id: a.id },
      body: { sandbox: { cpuSeconds: 600, maxProcesses: 256 } },
    });
    expect(p1.sandbox).toEqual({ network: "none", memoryMb: 2048, maxProcesses: 256, cpuSeconds: 600, mounts: [] });
    const p2 = await h.api.call("patchAgent", {
      params: { id: a.id },
      body: { sandbox: { memoryMb: null, maxProcesses: null, network: "full" } },
    });
    expect(p2.sandbox).toEqual({ network: "full", memoryMb: null, maxProcesses: null, cpuSeconds: 600, mounts: [] });
    // A PATCH of other fields, or an empty change, keeps the policy.
    expect((await h.api.call("patchAgent", { params: { id: a.id }, body: { maxConcurrent: 3 } })).sandbox).toEqual(
      p2.sandbox,
    );
    expect((await h.api.call("patchAgent", { params: { id: a.id }, body: { sandbox: {} } })).sandbox).toEqual(
      p2.sandbox,
    );
    expect((await h.api.call("getAgent", { params: { id: a.id } })).sandbox).toEqual(p2.sandbox);
  });

  it("names each bad value's field, and writes nothing", async () => {
    const a = await created({ memoryMb: 512 });
    const at = `/agents/${a.id}`;
    const bad: [unknown, string][] = [
      [{ network: "host" }, "body.sandbox.network"],
      [{ memoryMb: 255 }, "body.sandbox.memoryMb"],
      [{ memoryMb: 1_048_577 }, "body.sandbox.memoryMb"],
      [{ memoryMb: 1024.5 }, "body.sandbox.memoryMb"],
      [{ memoryMb: "1024" }, "body.sandbox.memoryMb"],
      [{ maxProcesses: 15 }, "body.sandbox.maxProcesses"],
      [{ maxProcesses: 100_001 }, "body.sandbox.maxProcesses"],
      [{ cpuSeconds: 0 }, "body.sandbox.cpuSeconds"],
      [{ cpuSeconds: 86_401 }, "body.sandbox.cpuSeconds"],
      [{ disk: 10 }, "body.sandbox.disk"],
      [{ mounts: "/srv" }, "body.sandbox.mounts"],
      [{ mounts: Array.from({ length: 17 }, (_, i) => ({ path: `/srv/m${i}`, mode: "ro" })) }, "body.sandbox.mounts"],
      [{ mounts: [{ path: "srv/cache", mode: "ro" }] }, "body.sandbox.mounts.0.path"],
      [
        {
          mounts: [
            { path: "/srv/ok", mode: "ro" },
            { path: "/", mode: "rw" },
          ],
        },
        "body.sandbox.mounts.1.path",
      ],
      [{ mounts: [{ path: "/srv/../etc", mode: "ro" }] }, "body.sandbox.mounts.0.path"],
      [{ mounts: [{ path: "/srv/cache/", mode: "ro" }] }, "body.sandbox.mounts.0.path"],
      [
        {
          mounts: [
            { path: "/srv/a", mode: "ro" },
            { path: "/srv/a", mode: "rw" },
          ],
        },
        "body.sandbox.mounts.1.path",
      ],
      [{ mounts: [{ path: "/srv/cache", mode: "rx" }] }, "body.sandbox.mounts.0.mode"],
      [{ mounts: [{ path: "/srv/cache", mode: "ro", options: "nosuid" }] }, "body.sandbox.mounts.0.options"],
      ["none", "body.sandbox"],
    ];
    for (const [sandbox, field] of bad) {
      await expectError(create(sandbox), 400, "INVALID_INPUT", field);
      await expectError(send("PATCH", at, { sandbox }), 400, "INVALID_INPUT", field);
    }
    const root = await expectError(
      send("PATCH", at, { sandbox: { mounts: [{ path: "/", mode: "ro" }] } }),
      400,
      "INVALID_INPUT",
    );
    expect(root.details).toEqual([
      { path: "body.sandbox.mounts.0.path", reason: "/ is the whole file system: mount the folders the agent needs" },
    ]);
    const both = await expectError(
      send("PATCH", at, { sandbox: { memoryMb: 1, cpuSeconds: -1 } }),
      400,
      "INVALID_INPUT",
    );
    expect(both.details?.map((d) => d.path).sort()).toEqual(["body.sandbox.cpuSeconds", "body.sandbox.memoryMb"]);
    expect(both.details?.[0]?.reason).toMatch(/whole number .* or null for no limit/);
    expect((await h.api.call("getAgent", { params: { id: a.id } })).sandbox).toEqual({
      ...DEFAULT_AGENT_SANDBOX,
      memoryMb: 512,
    });
  });

  it("lets only an admin set mounts; a lead sets the rest, clears mounts or sends them back unchanged", async () => {
    const mounts = [{ path: outside.path, mode: "ro" as const }];
    const refused = await expectError(create({ mounts }, lead.key), 403, "FORBIDDEN", "body.sandbox.mounts");
    expect(refused.message).toMatch(/body\.sandbox\.mounts needs the admin role.*this key is lead/);

    const byLead = AgentSchema.parse((await create({ network: "none", cpuSeconds: 120, mounts: [] }, lead.key)).json);
    expect(byLead.sandbox).toEqual({ ...DEFAULT_AGENT_SANDBOX, network: "none", cpuSeconds: 120 });
    await expectError(
      send("PATCH", `/agents/${byLead.id}`, { sandbox: { mounts } }, lead.key),
      403,
      "FORBIDDEN",
      "body.sandbox.mounts",
    );

    const byAdmin = await created({ mounts: [...mounts, { path: join(outside.path, "cache"), mode: "rw" }] });
    expect(byAdmin.sandbox.mounts).toEqual([...mounts, { path: join(outside.path, "cache"), mode: "rw" }]);
    const client = asLead();
    // The whole policy sent back, as a form does, changes nothing and is allowed.
    const same = await client.call("patchAgent", {
      params: { id: byAdmin.id },
      body: { sandbox: { ...byAdmin.sandbox, memoryMb: 4096 } },
    });
    expect(same.sandbox).toEqual({ ...byAdmin.sandbox, memoryMb: 4096 });
    // A different list (one taken away, or the modes changed) is a change.
    await expectError(
      send("PATCH", `/agents/${byAdmin.id}`, { sandbox: { mounts } }, lead.key),
      403,
      "FORBIDDEN",
      "body.sandbox.mounts",
    );
    const flipped = byAdmin.sandbox.mounts.map((m) => ({ ...m, mode: "rw" }));
    await expectError(
      send("PATCH", `/agents/${byAdmin.id}`, { sandbox: { mounts: flipped } }, lead.key),
      403,
      "FORBIDDEN",
      "body.sandbox.mounts",
    );
    // Taking every host path away gives the agent less: a lead may.
    const cleared = await client.call("patchAgent", { params: { id: byAdmin.id }, body: { sandbox: { mounts: [] } } });
    expect(cleared.sandbox.mounts).toEqual([]);
  });

  it("refuses a mount inside or holding the data dir, also through a link, naming the entry", async () => {
    const data = h.dataDir;
    const inside = await expectError(
      create({
        mounts: [
          { path: "/srv/fine", mode: "ro" },
          { path: join(data, "worktrees"), mode: "rw" },
        ],
      }),
      400,
      "INVALID_INPUT",
    );
    expect(inside.details).toEqual([
      {
        path: "body.sandbox.mounts.1.path",
        reason: `${join(data, "worktrees")} is inside ${data}, which no agent may mount`,
      },
    ]);
    await expectError(
      create({ mounts: [{ path: data, mode: "ro" }] }),
      400,
      "INVALID_INPUT",
      "body.sandbox.mounts.0.path",
    );
    const holds = await expectError(
      create({ mounts: [{ path: dirname(data), mode: "ro" }] }),
      400,
      "INVALID_INPUT",
      "body.sandbox.mounts.0.path",
    );
    expect(holds.details?.[0]?.reason).toContain(`holds ${data}`);

    // A link whose target is in the data dir exposes it just the same.
    mkdirSync(join(data, "linked"), { recursive: true });
    const link = join(outside.path, "to-data");
    symlinkSync(join(data, "linked"), link);
    const viaLink = await expectError(
      create({ mounts: [{ path: link, mode: "ro" }] }),
      400,
      "INVALID_INPUT",
      "body.sandbox.mounts.0.path",
    );
    expect(viaLink.details?.[0]?.reason).toContain(`resolves to ${join(data, "linked")}`);

    const a = await created();
    await expectError(
      send("PATCH", `/agents/${a.id}`, { sandbox: { mounts: [{ path: join(data, "secret"), mode: "ro" }] } }),
      400,
      "INVALID_INPUT",
      "body.sandbox.mounts.0.path",
    );
    expect((await h.api.call("getAgent", { params: { id: a.id } })).sandbox.mounts).toEqual([]);
  });
});
