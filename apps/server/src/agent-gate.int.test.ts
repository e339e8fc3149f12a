import { existsSync } from "node:fs";
import { join } from "node:path";
import { waitFor } from "@industrial/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scripted, startTestOrchestrator, waitForStatus, type TestOrchestrator } from "./testing/harness";

// The agent gate end to end: a replica whose lease on a running session is
// taken (as when it was frozen or cut off past its lease and another replica
// adopted) stops its managed runner's agent at the agent's next step — the
// model is not asked again and no tool runs — instead of letting the OpenCode
// turn go on beside the new holder's.
let h: TestOrchestrator;
beforeAll(async () => {
  h = await startTestOrchestrator({ env: { ORCHESTRATOR_LEASE_RENEW_MS: "300" } });
});
afterAll(async () => h?.close());

describe("the agent gate of a replica that lost a lease", () => {
  it("stops the agent before its next tool and model call; the file of the step after the loss is never written", async () => {
    const model = h.orc.scriptedModel!;
    const s = await h.api.call("createSession", {
      body: {
        prompt: scripted("two files, the lease goes between them", [
          { tool: "write", input: { filePath: "a.txt", content: "a\n" } },
          { sleep_ms: 2500 },
          { tool: "write", input: { filePath: "b.txt", content: "b\n" } },
          { text: "both written" },
        ]),
        retry: { maxAttempts: 1 },
      },
    });
    const ws = await waitFor(
      async () => (await h.api.call("getSession", { params: { id: s.id } })).workspace.path,
      "workspace",
      { timeoutMs: 30_000 },
    );
    const fromSession = () => model.requests().filter((r) => r.workingDirectory === ws && r.reply.kind !== "title");
    // The request for b.txt's step is with the model (sleeping): the loss lands while the agent waits for it.
    await waitFor(() => existsSync(join(ws, "a.txt")) && fromSession().length >= 2, "a.txt and the next request", {
      timeoutMs: 30_000,
    });
    // Another replica took the session: a newer token, another owner, a lease far from expiring.
    await h.orc.db.query(
      "UPDATE attempts SET lease_owner = 'another-replica', fencing_token = fencing_token + 1, lease_expires_at = now() + interval '10 minutes' WHERE session_id = $1 AND status = 'running'",
      [s.id],
    );
    await h.orc.db.query("UPDATE sessions SET fencing_token = fencing_token + 1 WHERE id = $1", [s.id]);
    const asked = fromSession().length;

    await waitFor(() => h.orc.scheduler?.local(s.id) === undefined, "the replica to let the attempt go", {
      timeoutMs: 15_000,
    });
    // Well past the model's sleep: its answer (write b.txt) came back to a closed gate.
    await new Promise((r) => setTimeout(r, 5_000));
    expect(existsSync(join(ws, "b.txt"))).toBe(false);
    expect(fromSession()).toHaveLength(asked);
    const view = await waitForStatus(h.api, s.id, ["running", "degraded"]);
    expect(view.status).not.toBe("completed");
  }, 90_000);
});
