import { WsCloseCode } from "@industrial/contracts";
import { bearer, createTestDatabase, type TestDatabase } from "@industrial/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestOrchestrator, type TestOrchestrator } from "./testing/harness";
import { asOperator } from "./testing/principals";
import { sendRaw } from "./testing/route-request";
import { TestWsClient } from "./testing/ws-client";

// Two replicas on one PostgreSQL database with the same server secret (the
// harness gives both the test one): a key revoked on A stops working on B
// within a second (B caches a verdict half a second), and B's open sockets
// with it are closed (B re-checks them every two seconds).
let db: TestDatabase;
let a: TestOrchestrator;
let b: TestOrchestrator;
const clients: TestWsClient[] = [];

beforeAll(async () => {
  db = await createTestDatabase("postgres");
  const shared = { ORCHESTRATOR_SCHEDULER: "off", ORCHESTRATOR_RATE_LIMIT: "0" };
  [a, b] = await Promise.all([
    startTestOrchestrator({ dbUrl: db.url, env: { ...shared, ORCHESTRATOR_REPLICA_ID: "replica-a" } }),
    startTestOrchestrator({ dbUrl: db.url, env: { ...shared, ORCHESTRATOR_REPLICA_ID: "replica-b" } }),
  ]);
}, 120_000);

afterAll(async () => {
  for (const c of clients) await c.close();
  await b?.close();
  await a?.close();
  await db?.drop();
});

const me = (h: TestOrchestrator, headers: Record<string, string>) =>
  sendRaw(h.orc.url, "GET", "/api/v1/me", { headers });

describe("revoking a key on one replica", () => {
  it("refuses it on the other within a second (key and cookie), saying it was revoked, and closes its sockets there with 1008", async () => {
    const key = await asOperator<{ id: string; key: string }>(a.orc.url, "createApiKey", {
      body: { name: "revoked on A", role: "member" },
    });
    const login = await sendRaw(a.orc.url, "POST", "/api/v1/auth/login", { body: { key: key.key } });
    const cookie = { cookie: (login.headers.get("set-cookie") ?? "").split(";")[0]! };
    for (const h of [a, b]) {
      expect((await me(h, bearer(key.key))).status).toBe(200);
      expect((await me(h, cookie)).status).toBe(200);
    }
    const byToken = await TestWsClient.connect(`${b.orc.url}/ws/system?token=${encodeURIComponent(key.key)}`, {
      key: null,
    });
    const byHeader = await TestWsClient.connect(`${b.orc.url}/ws/sessions`, { key: key.key });
    clients.push(byToken, byHeader);
    await Promise.all([byToken.waitFor("hello"), byHeader.waitFor("hello")]);

    // B's cache holds a fresh "valid" verdict for both the key and the cookie at the moment of revocation.
    await Promise.all([me(b, bearer(key.key)), me(b, cookie)]);
    const revoked = await sendRaw(a.orc.url, "DELETE", `/api/v1/api-keys/${key.id}`, { headers: bearer() });
    expect(revoked.status, revoked.text).toBe(200);
    const at = performance.now();

    const refusedWithin = async (headers: Record<string, string>): Promise<{ ms: number; message: string }> => {
      for (;;) {
        const r = await me(b, headers);
        const ms = performance.now() - at;
        if (r.status === 401) return { ms, message: (r.json as { error: { message: string } }).error.message };
        expect(r.status).toBe(200);
        if (ms > 3_000) return { ms, message: "still accepted" };
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    };
    const [viaKey, viaCookie] = await Promise.all([refusedWithin(bearer(key.key)), refusedWithin(cookie)]);
    expect(viaKey.ms).toBeLessThan(1_000);
    expect(viaKey.message).toContain("revoked");
    expect(viaCookie.ms).toBeLessThan(1_000);
    expect(viaCookie.message).toContain("revoked");

    for (const c of [byToken, byHeader]) {
      const closed = await Promise.race([c.closed, new Promise<null>((r) => setTimeout(() => r(null), 5_000))]);
      expect(closed?.code).toBe(WsCloseCode.UNAUTHENTICATED);
      expect(c.of("error").at(-1)?.payload.code).toBe("UNAUTHENTICATED");
    }
    expect(performance.now() - at).toBeLessThan(5_000);

    // A new socket with it is refused at once, on either replica.
    for (const h of [a, b]) {
      const again = await TestWsClient.connect(`${h.orc.url}/ws/system?token=${encodeURIComponent(key.key)}`, {
        key: null,
      });
      clients.push(again);
      expect((await again.closed).code).toBe(WsCloseCode.UNAUTHENTICATED);
    }
  });
});
