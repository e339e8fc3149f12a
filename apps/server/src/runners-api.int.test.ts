import { createApiClient, type RegisterRunnerBody, type RunnerView } from "@industrial/contracts";
import { computeOpenCodeConfig, createManagedRunner, isProcessAlive, type ManagedRunner } from "@industrial/opencode";
import { tempDir, waitFor } from "@industrial/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scripted, startTestOrchestrator, waitForStatus, type TestOrchestrator } from "./testing/harness";
import { expectApiError } from "./testing/http";

// One orchestrator (demo mode) for the file. Its managed runner starts with the
// first session; the "remote" runners are another real OpenCode server on the
// same scripted model (a managed runner's own process would hold their sessions
// at its agent gate, which only lets through the attempts of its replica),
// registered with the password it runs with.
let h: TestOrchestrator;
let managed: RunnerView;
let remoteServer: ManagedRunner;
const remoteDir = tempDir("orch-remote-runner-");
beforeAll(async () => {
  h = await startTestOrchestrator({ env: { ORCHESTRATOR_RUNNER_CHECK_INTERVAL_MS: "300" } });
  remoteServer = await createManagedRunner({
    stateDir: remoteDir.path,
    isolate: true,
    config: computeOpenCodeConfig({ mode: "scripted", baseUrl: h.orc.scriptedModel!.baseUrl }),
  });
  const s = await h.api.call("createSession", {
    body: { prompt: scripted("hi", [{ text: "hello" }]), retry: { maxAttempts: 1 } },
  });
  expect((await waitForStatus(h.api, s.id, ["completed", "failed"])).status).toBe("completed");
  managed = (await h.api.call("listRunners", { query: { kind: "managed" } })).items[0]!;
});
afterAll(async () => {
  await h?.close();
  await remoteServer?.stop();
  remoteDir.remove();
});

/** The password the stand-in remote server runs with (OPENCODE_SERVER_PASSWORD), from the header it gives its callers. */
const remotePassword = () =>
  Buffer.from((remoteServer.headers().authorization ?? "").replace(/^Basic /, ""), "base64")
    .toString()
    .replace(/^opencode:/, "");

/** A registration the API refuses: 400 INVALID_INPUT naming `field`. */
const refusesRegistration = (body: RegisterRunnerBody, field: string) =>
  expectApiError(h.api.call("registerRunner", { body }), 400, "INVALID_INPUT", field);

describe(`runners API (${process.env.ORCHESTRATOR_TEST_DB})`, () => {
  it("lists the managed runner that ran a session with its url, version, health, sessions, memory and breaker", async () => {
    const page = await h.api.call("listRunners", {});
    expect(page.total).toBe(page.items.length);
    expect(managed).toMatchObject({
      kind: "managed",
      health: "healthy",
      draining: false,
      ownerReplica: h.orc.replica,
      sessions: 0,
      passwordSet: true,
      breaker: { state: "closed", trialInFlight: false },
    });
    expect(managed.name).toBe(`managed-${h.orc.replica}-1`);
    expect(managed.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(managed.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(managed.memoryBytes).toBeGreaterThan(50 * 1024 * 1024);
    expect(managed.lastCheckedAt).not.toBeNull();
    // The session's attempt names the process it ran on.
    const [attempt] = await h.orc.db.query<{ runner_id: string }>(
      "SELECT runner_id FROM attempts ORDER BY started_at LIMIT 1",
    );
    expect(attempt!.runner_id).toBe(managed.id);
  });

  it("the managed runner that ran it refuses whoever lacks its password: 401 at the URL the API lists, 200 for the orchestrator", async () => {
    const process = h.orc.runners.managedProcesses().find((p) => p.runnerId === managed.id)!;
    expect(process.url).toBe(managed.url);
    for (const path of ["/global/health", "/session", "/config"])
      expect((await fetch(`${managed.url}${path}`)).status, path).toBe(401);
    expect((await fetch(`${managed.url}/session`, { headers: h.orc.runners.headersFor(managed.url!) })).status).toBe(
      200,
    );
    // Never stored, never shown: the row has no password, and no view carries the header's.
    const password = Buffer.from(
      h.orc.runners.headersFor(managed.url!)!.authorization!.replace(/^Basic /, ""),
      "base64",
    )
      .toString()
      .replace(/^opencode:/, "");
    const [row] = await h.orc.db.query<{ password: string | null }>("SELECT password FROM runners WHERE id = $1", [
      managed.id,
    ]);
    expect(row!.password).toBeNull();
    // Readiness probes the process with it: up, and the report names its URL but not the password.
    const ready = await (await fetch(`${h.orc.url}/health/ready`)).text();
    expect(ready).toContain(`"runner:${managed.name}":{"status":"up"`);
    const views = JSON.stringify([await h.api.call("listRunners", {}), ready, process]);
    expect(views).not.toContain(password);
  });

  it("refuses a bad registration with the field named, and a taken or reserved name", async () => {
    await refusesRegistration({ name: "remote-bad", url: "not a url" }, "body.url");
    await refusesRegistration({ name: "remote-bad", url: "ftp://127.0.0.1:1" }, "body.url");
    await refusesRegistration({ name: "remote-bad", url: "http://user:pw@127.0.0.1:1" }, "body.url");
    await refusesRegistration({ name: "managed-mine", url: "http://127.0.0.1:1" }, "body.name");
    await refusesRegistration({ name: "x", url: "http://127.0.0.1:1", colour: "red" } as never, "body.colour");
    // The server would call these every few seconds: cloud metadata and link-local addresses are refused.
    for (const url of [
      "http://169.254.169.254/latest",
      "http://[fd00:ec2::254]:80",
      "http://[::ffff:169.254.169.254]:4096",
      "http://[fe80::1]:4096",
    ]) {
      const e = await refusesRegistration({ name: "remote-meta", url }, "body.url");
      expect(e.envelope.details?.[0]?.reason).toMatch(/may not point at/);
    }
    await expectApiError(
      h.api.call("deleteRunner", { params: { id: "not-a-uuid" } }),
      400,
      "INVALID_INPUT",
      "params.id",
    );
    await expectApiError(
      h.api.call("recycleRunner", { params: { id: "00000000-0000-4000-8000-00000000abcd" } }),
      404,
      "NOT_FOUND",
    );
  });

  it("registers a remote runner, checks it at once, and refuses to delete it while an agent is bound to it", async () => {
    const remote = await h.api.call("registerRunner", {
      body: { name: "remote-api", url: `${remoteServer.url}/`, password: remotePassword() },
    });
    expect(remote).toMatchObject({
      kind: "remote",
      url: remoteServer.url,
      health: "healthy",
      version: managed.version,
      ownerReplica: null,
      memoryBytes: null,
      passwordSet: true,
    });
    await expectApiError(
      h.api.call("registerRunner", { body: { name: "remote-api", url: "http://127.0.0.1:9" } }),
      409,
      "CONFLICT",
    );
    expect(h.orc.runners.isHealthy(remote.id)).toBe(true);

    const down = await h.api.call("registerRunner", {
      body: { name: "remote-down", url: "http://127.0.0.1:9", password: "secret" },
    });
    expect(down).toMatchObject({ health: "unhealthy", passwordSet: true });
    expect(JSON.stringify(down)).not.toContain("secret");
    // Stored sealed with the server secret, never in plain text.
    const [stored] = await h.orc.db.query<{ password: string }>("SELECT password FROM runners WHERE id = $1", [
      down.id,
    ]);
    expect(stored!.password).toMatch(/^enc:v1:/);
    expect(stored!.password).not.toContain("secret");
    expect(h.orc.runners.isHealthy(down.id)).toBe(false);

    // A session of an agent bound to it runs there (the attempt names the remote runner).
    const agent = await h.api.call("createAgent", {
      body: { name: "on-remote", type: "implementer", runnerId: remote.id },
    });
    const s = await h.api.call("createSession", {
      body: {
        prompt: scripted("remote", [{ text: "from afar" }]),
        preferredAgentId: agent.id,
        retry: { maxAttempts: 1 },
      },
    });
    expect((await waitForStatus(h.api, s.id, ["completed", "failed"])).status).toBe("completed");
    const [attempt] = await h.orc.db.query<{ runner_id: string; agent_id: string }>(
      "SELECT runner_id, agent_id FROM attempts WHERE session_id = $1",
      [s.id],
    );
    expect(attempt).toEqual({ runner_id: remote.id, agent_id: agent.id });

    const refused = await expectApiError(h.api.call("deleteRunner", { params: { id: remote.id } }), 409, "CONFLICT");
    expect(refused.message).toContain("1 agent(s) bound");
    await h.api.call("deleteAgent", { params: { id: agent.id } });
    await h.api.call("deleteRunner", { params: { id: remote.id } });
    await h.api.call("deleteRunner", { params: { id: down.id }, query: { force: "true" } });
    const names = (await h.api.call("listRunners", {})).items.map((r) => r.name);
    expect(names).not.toContain("remote-api");
    expect(names).not.toContain("remote-down");
    expect(h.orc.runners.isHealthy(remote.id)).toBe(false);
    await expectApiError(h.api.call("deleteRunner", { params: { id: remote.id } }), 404, "NOT_FOUND");
  });

  it("runs another tenant's sessions on the remote runner that tenant's admin registered", async () => {
    const tenant = await h.api.call("createTenant", { body: { name: "Runner tenant" } });
    const admin = await h.api.call("createApiKey", {
      body: { name: "runner-tenant-admin", role: "admin", tenantId: tenant.id },
    });
    const b = createApiClient({ baseUrl: h.orc.url, headers: { authorization: `Bearer ${admin.key}` } });
    const remote = await b.call("registerRunner", {
      body: { name: "remote-of-b", url: remoteServer.url, password: remotePassword() },
    });
    const agent = await b.call("createAgent", { body: { name: "b-agent", type: "implementer", runnerId: remote.id } });
    const s = await b.call("createSession", {
      body: { prompt: scripted("b", [{ text: "from tenant b" }]), retry: { maxAttempts: 1 } },
    });
    expect((await waitForStatus(b, s.id, ["completed", "failed"])).status).toBe("completed");
    const [attempt] = await h.orc.db.query<{ runner_id: string; agent_id: string }>(
      "SELECT runner_id, agent_id FROM attempts WHERE session_id = $1",
      [s.id],
    );
    expect(attempt).toEqual({ runner_id: remote.id, agent_id: agent.id });
    // The default tenant sees neither the runner nor the agent.
    expect((await h.api.call("listRunners", {})).items.map((r) => r.id)).not.toContain(remote.id);
    await expectApiError(h.api.call("getAgent", { params: { id: agent.id } }), 404, "NOT_FOUND");
    await b.call("deleteAgent", { params: { id: agent.id } });
    await b.call("deleteRunner", { params: { id: remote.id } });
  });

  it("refuses to delete a managed runner and to recycle a remote one", async () => {
    const err = await expectApiError(
      h.api.call("deleteRunner", { params: { id: managed.id }, query: { force: "true" } }),
      409,
      "CONFLICT",
    );
    expect(err.message).toContain("managed runner");
    const remote = await h.api.call("registerRunner", { body: { name: "remote-recycle", url: "http://127.0.0.1:9" } });
    const r = await expectApiError(h.api.call("recycleRunner", { params: { id: remote.id } }), 409, "CONFLICT");
    expect(r.message).toContain("remote runner");
    await h.api.call("deleteRunner", { params: { id: remote.id } });
  });

  it("pages the list by name with a cursor, and filters by kind", async () => {
    const made = [];
    for (const n of ["remote-p1", "remote-p2", "remote-p3"])
      made.push(await h.api.call("registerRunner", { body: { name: n, url: "http://127.0.0.1:9" } }));
    const first = await h.api.call("listRunners", { query: { kind: "remote", limit: 2 } });
    expect(first.total).toBe(3);
    expect(first.items.map((r) => r.name)).toEqual(["remote-p1", "remote-p2"]);
    const second = await h.api.call("listRunners", { query: { kind: "remote", limit: 2, cursor: first.nextCursor! } });
    expect(second.items.map((r) => r.name)).toEqual(["remote-p3"]);
    expect(second.nextCursor).toBeNull();
    await expectApiError(
      h.api.call("listRunners", { query: { kind: "local" as never } }),
      400,
      "INVALID_INPUT",
      "query.kind",
    );
    await expectApiError(
      h.api.call("listRunners", { query: { cursor: "garbage" } }),
      400,
      "INVALID_INPUT",
      "query.cursor",
    );
    for (const r of made) await h.api.call("deleteRunner", { params: { id: r.id } });
  });

  it("recycles an idle managed runner on demand: a new process replaces it and the old one is gone", async () => {
    const old = h.orc.runners.managedProcesses().find((p) => p.runnerId === managed.id)!;
    const answer = await h.api.call("recycleRunner", { params: { id: managed.id } });
    expect(answer).toMatchObject({ id: managed.id, draining: true });
    await waitFor(() => !isProcessAlive(old.pid!), "the old process to exit", { timeoutMs: 20_000 });
    const fresh = await waitFor(
      async () =>
        (await h.api.call("listRunners", { query: { kind: "managed" } })).items.find(
          (r) => r.health === "healthy" && r.id !== managed.id,
        ) ?? null,
      "the replacement to serve",
      { timeoutMs: 30_000 },
    );
    expect(fresh.name).toBe(`managed-${h.orc.replica}-2`);
    const items = (await h.api.call("listRunners", { query: { kind: "managed" } })).items;
    expect(items.map((r) => r.id)).toEqual([fresh.id]);
    const s = await h.api.call("createSession", {
      body: { prompt: scripted("again", [{ text: "hello again" }]), retry: { maxAttempts: 1 } },
    });
    expect((await waitForStatus(h.api, s.id, ["completed", "failed"])).status).toBe("completed");
    const [attempt] = await h.orc.db.query<{ runner_id: string }>(
      "SELECT runner_id FROM attempts WHERE session_id = $1",
      [s.id],
    );
    expect(attempt!.runner_id).toBe(fresh.id);
  });
});
