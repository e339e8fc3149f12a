import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { createApiClient } from "@industrial/contracts";
import { bearer, tempDir, waitFor } from "@industrial/testkit";
import { afterAll, describe, expect, it } from "vitest";
import { allEvents, scripted, waitForStatus } from "./testing/harness";
import { sendRaw } from "./testing/route-request";
import { killReplica, processesMarkedUnder, startServerProcess, stopProcess } from "./testing/server-process";

// A real orchestrator as its own process (demo mode, every log line at trace
// captured) and its managed `opencode serve`: the runner answers only the
// orchestrator, which holds its password, and the password shows nowhere —
// not in the API, the sessions' events, the logs, the data dir, nor the
// agent's shell, whose attempt to use the runner is refused.
const dir = tempDir("orch-runner-password-");
let server: Awaited<ReturnType<typeof startServerProcess>> | null = null;
afterAll(async () => {
  if (server) await killReplica(server.child, dir.path);
  dir.remove();
});

/** The runner's password, read from its process's environment: this test runs as the same user, to search for it. */
function passwordOfRunnerUnder(dataDir: string): string {
  const serve = processesMarkedUnder(dataDir).find((pid) =>
    readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("serve"),
  );
  const environ = readFileSync(`/proc/${serve}/environ`, "utf8").split("\0");
  return environ.find((v) => v.startsWith("OPENCODE_SERVER_PASSWORD="))!.slice("OPENCODE_SERVER_PASSWORD=".length);
}

/** Files under `root` holding `needle`: the database, OpenCode's store and logs, the runners' folders. */
function filesHolding(root: string, needle: string): string[] {
  return readdirSync(root, { recursive: true, encoding: "utf8" }).filter((f) => {
    const path = join(root, f);
    const st = statSync(path, { throwIfNoEntry: false });
    return st?.isFile() === true && st.size < 64 * 1024 * 1024 && readFileSync(path).includes(needle);
  });
}

const basic = (password: string) => ({
  authorization: `Basic ${Buffer.from(`opencode:${password}`).toString("base64")}`,
});

describe("a managed runner's password", () => {
  it("locks out every caller but the orchestrator, which runs sessions through it, and appears in no answer, event, log line or file", async () => {
    server = await startServerProcess(
      {
        ORCHESTRATOR_DATA_DIR: dir.path,
        ORCHESTRATOR_DEMO: "1",
        LOG_LEVEL: "trace",
        LOG_FORMAT: "json",
        ORCHESTRATOR_DASHBOARD: "off",
      },
      [],
      { ownGroup: true },
    );
    const api = createApiClient({ baseUrl: server.url, headers: bearer() });
    const first = await api.call("createSession", {
      body: { prompt: scripted("warm up", [{ text: "ready" }]), retry: { maxAttempts: 1 } },
    });
    expect((await waitForStatus(api, first.id, ["completed", "failed"], 60_000)).status).toBe("completed");

    const [runner] = (await api.call("listRunners", { query: { kind: "managed" } })).items;
    const url = runner!.url!;
    const password = passwordOfRunnerUnder(dir.path);
    expect(password.length).toBeGreaterThanOrEqual(40);
    for (const path of ["/global/health", "/path", "/session", "/config"]) {
      expect((await fetch(`${url}${path}`)).status, path).toBe(401);
      expect((await fetch(`${url}${path}`, { headers: basic(password) })).status, path).toBe(200);
    }

    // An agent's shell: the variable is there but empty, and the runner refuses it.
    const probe = `fetch(process.argv[1] + "/session").then((r) => console.log("runner answered " + r.status), (e) => console.log("runner unreachable " + e.message))`;
    const second = await api.call("createSession", {
      body: {
        prompt: scripted("look around", [
          {
            tool: "bash",
            input: {
              command: 'echo "password=[$OPENCODE_SERVER_PASSWORD]"',
              description: "Look for the runner's password",
            },
          },
          { tool: "bash", input: { command: `node -e '${probe}' ${url}`, description: "Call the runner" } },
          { text: "done" },
        ]),
        retry: { maxAttempts: 1 },
      },
    });
    expect((await waitForStatus(api, second.id, ["completed", "failed"], 60_000)).status).toBe("completed");
    const events = [...(await allEvents(api, first.id)), ...(await allEvents(api, second.id))];
    const outputs = events.flatMap((e) =>
      e.type === "session.tool" && e.payload.status === "completed" ? [e.payload.output ?? ""] : [],
    );
    expect(outputs.some((o) => o.includes("password=[]"))).toBe(true);
    expect(outputs.some((o) => o.includes("runner answered 401"))).toBe(true);

    // Everything the orchestrator shows: the runner (a password set, never shown), readiness, the sessions and their events.
    expect(runner!.passwordSet).toBe(true);
    const answers = [
      JSON.stringify(events),
      JSON.stringify(await api.call("listRunners", {})),
      JSON.stringify(await api.call("getSession", { params: { id: second.id } })),
      JSON.stringify(await api.call("listSessions", {})),
      (await sendRaw(server.url, "GET", "/health/ready")).text,
    ];
    for (const text of answers) expect(text).not.toContain(password);

    // Stopped gracefully, the runner with it; then the whole log, the runner's own lines (logged at debug) included.
    await stopProcess(server.child);
    await waitFor(
      () => processesMarkedUnder(dir.path).length === 0 || null,
      "the runner to stop with the orchestrator",
      { timeoutMs: 15_000 },
    );
    const output = server.output();
    expect(output).toContain('"managed runner started"');
    expect(output).toContain('"msg":"opencode"');
    expect(output).not.toContain(password);
    expect(output).not.toContain(basic(password).authorization.slice("Basic ".length));
    expect(filesHolding(dir.path, "look around").length).toBeGreaterThan(0); // the scan reaches the stores: the prompt is there
    expect(filesHolding(dir.path, password)).toEqual([]);
  });
});
