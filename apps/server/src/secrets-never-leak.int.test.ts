import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { WS_SUBPROTOCOL, WS_TOKEN_PROTOCOL_PREFIX } from "@industrial/contracts";
import { createDatabase } from "@industrial/db";
import { tempDir, waitFor } from "@industrial/testkit";
import { afterAll, describe, expect, it } from "vitest";
import { hashApiKey } from "./auth/api-key-material";
import { deriveServerSecret } from "./auth/server-secret";
import { sendRaw, type RouteAnswer } from "./testing/route-request";
import { startServerProcess, stopProcess } from "./testing/server-process";
import { TestWsClient } from "./testing/ws-client";

// The orchestrator as its own process at the most talkative log level, with
// no ORCHESTRATOR_ADMIN_KEY and no ORCHESTRATOR_SECRET (the embedded
// default: a generated first admin key and a generated secret), then used
// the way people use it. Everything it says is captured and searched for
// every secret it was given or made.
const KEY = /io_[a-z2-7]{12}_[A-Za-z0-9_-]{43}/g;
const dir = tempDir("orch-secrets-");
const METRICS_TOKEN = `metrics-token-${crypto.randomUUID()}`;
const RUNNER_PASSWORD = `runner-password-${crypto.randomUUID()}`;
const WEBHOOK_SECRET = `webhook-secret-${crypto.randomUUID()}`;
const env = {
  ORCHESTRATOR_DATA_DIR: dir.path,
  ORCHESTRATOR_ADMIN_KEY: "",
  ORCHESTRATOR_SECRET: "",
  ORCHESTRATOR_METRICS_TOKEN: METRICS_TOKEN,
  LOG_LEVEL: "trace",
  LOG_FORMAT: "json",
  ORCHESTRATOR_DASHBOARD: "off",
  ORCHESTRATOR_SCHEDULER: "off",
  ORCHESTRATOR_RATE_LIMIT: "0",
};
const children: Awaited<ReturnType<typeof startServerProcess>>["child"][] = [];
afterAll(async () => {
  for (const c of children) await stopProcess(c, "SIGKILL");
  dir.remove();
});

/** Every answer the server gave, but the two that must carry a secret: a key's creation and the sign-in's Set-Cookie. */
const answers: { what: string; text: string }[] = [];
function remember(what: string, a: RouteAnswer, allowed: { body?: boolean; setCookie?: boolean } = {}) {
  const headers = [...a.headers]
    .filter(([k]) => !(allowed.setCookie && k === "set-cookie"))
    .map(([k, v]) => `${k}: ${v}`);
  answers.push({ what, text: `${headers.join("\n")}\n${allowed.body ? "" : a.text}` });
  return a;
}

/** The secrets in `text`, by name. */
function found(text: string, secrets: Record<string, string>): string[] {
  return Object.entries(secrets)
    .filter(([, s]) => s.length > 0 && text.includes(s))
    .map(([name]) => name);
}

let firstAdminKey = "";
describe("secrets never leak", () => {
  it("keeps every key, the cookie, the server secret, the metrics token, a runner password and a webhook secret out of logs, answers and the database", async () => {
    const p = await startServerProcess(env);
    children.push(p.child);
    const url = p.url;
    const banner = p.stderr().match(KEY) ?? [];
    expect(banner).toHaveLength(1);
    firstAdminKey = banner[0]!;
    const serverSecret = readFileSync(join(dir.path, "secret"), "utf8").trim();
    expect(statSync(join(dir.path, "secret")).mode & 0o777).toBe(0o600);

    const call = (
      what: string,
      method: string,
      path: string,
      key: string | null,
      body?: unknown,
      headers: Record<string, string> = {},
    ) =>
      sendRaw(url, method, path, {
        headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...headers },
        ...(body === undefined ? {} : { body }),
      }).then((a) => remember(what, a));

    // Keys of each role, one in another tenant; each shown once, in its creation answer.
    const created: Record<string, { id: string; key: string }> = {};
    const tenant = (await call("tenant", "POST", "/api/v1/tenants", firstAdminKey, { name: "secrets" })).json as {
      id: string;
    };
    for (const [name, body] of Object.entries({
      admin: { role: "admin" },
      member: { role: "member" },
      viewer: { role: "viewer" },
      other: { role: "lead", tenantId: tenant.id },
    })) {
      const a = await sendRaw(url, "POST", "/api/v1/api-keys", {
        headers: { authorization: `Bearer ${firstAdminKey}` },
        body: { name, ...body },
      });
      remember(`create ${name}`, a, { body: true });
      expect(a.status, a.text).toBe(201);
      created[name] = a.json as { id: string; key: string };
    }
    const keys = {
      first: firstAdminKey,
      admin: created.admin!.key,
      member: created.member!.key,
      viewer: created.viewer!.key,
      other: created.other!.key,
    };

    // REST with every key, a session, a runner with a password, /metrics with its token.
    for (const [name, key] of Object.entries(keys))
      expect((await call(`me ${name}`, "GET", "/api/v1/me", key)).status).toBe(200);
    expect(
      (await call("session", "POST", "/api/v1/sessions", keys.member, { prompt: "never runs", start: false })).status,
    ).toBe(201);
    const runner = await call("runner", "POST", "/api/v1/runners", keys.admin, {
      name: "remote-secret",
      url: "http://127.0.0.1:9",
      password: RUNNER_PASSWORD,
    });
    expect(runner.json).toMatchObject({ passwordSet: true });
    // A tenant's notify webhook secret: written once, said to be set, never shown (README, "Notifications").
    const hook = await call("webhook", "PATCH", `/api/v1/tenants/${tenant.id}`, keys.admin, {
      notifyWebhookUrl: "http://127.0.0.1:9/hook",
      notifyWebhookSecret: WEBHOOK_SECRET,
    });
    expect(hook.json).toMatchObject({ notifyWebhookSecretSet: true });
    expect((await call("tenant read", "GET", `/api/v1/tenants/${tenant.id}`, keys.admin)).status).toBe(200);
    expect(
      (await call("metrics", "GET", "/metrics", null, undefined, { authorization: `Bearer ${METRICS_TOKEN}` })).status,
    ).toBe(200);

    // The dashboard's sign-in: the cookie carries no key, and works for reads and same-origin writes.
    const login = remember("login", await sendRaw(url, "POST", "/api/v1/auth/login", { body: { key: keys.member } }), {
      setCookie: true,
    });
    const cookie = /io_session=([^;]+)/.exec(login.headers.get("set-cookie") ?? "")?.[1] ?? "";
    expect(cookie.length).toBeGreaterThan(20);
    expect(found(cookie, keys)).toEqual([]);
    expect(
      (await call("me by cookie", "GET", "/api/v1/me", null, undefined, { cookie: `io_session=${cookie}` })).status,
    ).toBe(200);
    expect(
      (
        await call(
          "write by cookie",
          "POST",
          "/api/v1/sessions",
          null,
          { prompt: "by cookie", start: false },
          { cookie: `io_session=${cookie}`, origin: url },
        )
      ).status,
    ).toBe(201);

    // WebSockets with the key in each place, and with the cookie.
    const ws = async (what: string, path: string, options: Parameters<typeof TestWsClient.connect>[1]) => {
      const c = await TestWsClient.connect(`${url}${path}`, options);
      await c.waitFor("hello", () => true, { timeoutMs: 5_000 }).catch(() => undefined);
      answers.push({ what, text: JSON.stringify(c.frames) });
      return c;
    };
    await (await ws("ws token", `/ws/system?token=${keys.viewer}`, { key: null })).close();
    await (await ws("ws header", "/ws/sessions", { key: keys.viewer })).close();
    await (
      await ws("ws subprotocol", "/ws/agents", {
        key: null,
        protocols: [WS_SUBPROTOCOL, `${WS_TOKEN_PROTOCOL_PREFIX}${keys.viewer}`],
      })
    ).close();
    await (await ws("ws cookie", "/ws/system", { key: null, headers: { cookie: `io_session=${cookie}` } })).close();

    // Wrong keys, everywhere a key goes: a well-formed one the server never made, and junk.
    const wrong = { wellFormed: `io_abcdefghijkl_${"Q".repeat(43)}`, junk: `not-a-key-${crypto.randomUUID()}` };
    for (const w of Object.values(wrong)) {
      expect((await call("wrong key", "GET", "/api/v1/sessions", w)).status).toBe(401);
      expect((await call("wrong login", "POST", "/api/v1/auth/login", null, { key: w })).status).toBe(401);
      const c = await ws("ws wrong token", `/ws/system?token=${w}`, { key: null });
      expect((await c.closed).code).toBe(1008);
    }
    expect(
      (await call("metrics wrong", "GET", "/metrics", null, undefined, { authorization: `Bearer ${wrong.junk}` }))
        .status,
    ).toBe(401);

    // Revocation: the key, its cookie and its sockets stop working.
    expect((await call("revoke", "DELETE", `/api/v1/api-keys/${created.viewer!.id}`, keys.admin)).status).toBe(200);
    await waitFor(
      async () => (await call("revoked", "GET", "/api/v1/me", keys.viewer)).status === 401 || null,
      "the revoked key to be refused",
      { timeoutMs: 3_000 },
    );
    expect((await (await ws("ws revoked", `/ws/system?token=${keys.viewer}`, { key: null })).closed).code).toBe(1008);

    // After creation, no answer carries a key: listings, /me, the audit log included.
    for (const [what, path] of [
      ["list keys", "/api/v1/api-keys?all=true"],
      ["audit", "/api/v1/audit?limit=200"],
      ["users", "/api/v1/users"],
      ["runners", "/api/v1/runners"],
    ] as const)
      expect((await call(what, "GET", path, keys.admin)).status).toBe(200);
    const secrets = { ...keys, ...wrong, cookie, serverSecret, METRICS_TOKEN, RUNNER_PASSWORD, WEBHOOK_SECRET };
    expect(answers.flatMap((a) => found(a.text, secrets).map((s) => `${a.what}: ${s}`))).toEqual([]);

    await stopProcess(p.child);

    // The log stream: a line per request at least, no secret in it; the first key once, in the banner on stderr.
    const stdout = p.stdout();
    expect(stdout.split("\n").filter((l) => l.startsWith("{")).length).toBeGreaterThan(30);
    expect(stdout).toContain('"route"');
    expect(found(p.output().replace(firstAdminKey, "<banner>"), secrets)).toEqual([]);
    expect(p.output().split(firstAdminKey)).toHaveLength(2);
    expect(stdout).not.toContain(firstAdminKey);

    // The database: every column of every key row, the runner's password column and the audit log hold no secret;
    // a key row has the HMAC of its key (hex) and its public prefix, nothing more of it.
    const db = await createDatabase({ kind: "pglite", dataDir: join(dir.path, "pglite") });
    try {
      const rows = await db.query<Record<string, unknown>>("SELECT * FROM api_keys");
      const others = await db.query(
        "SELECT r.password FROM runners r UNION ALL SELECT to_jsonb(a)::text FROM audit_log a UNION ALL SELECT t.notify_webhook_secret FROM tenants t",
      );
      expect(rows).toHaveLength(5);
      const hashing = deriveServerSecret(serverSecret).keyHashing;
      for (const row of rows) {
        expect(found(JSON.stringify(row), secrets)).toEqual([]);
        expect(row.key_hash).toMatch(/^[0-9a-f]{64}$/);
        const key = Object.values(keys).find((k) => hashApiKey(hashing, k) === row.key_hash);
        expect(key, `no key hashes to row ${String(row.name)}`).toBeDefined();
        expect(key!.split("_")[1]).toBe(row.prefix);
      }
      expect(found(JSON.stringify(others), secrets)).toEqual([]);
    } finally {
      await db.close();
    }
  });

  it("prints no key at a second start on the same data dir", async () => {
    expect(firstAdminKey).not.toBe("");
    const p = await startServerProcess(env);
    children.push(p.child);
    const me = await sendRaw(p.url, "GET", "/api/v1/me", { headers: { authorization: `Bearer ${firstAdminKey}` } });
    expect(me.status).toBe(200);
    await stopProcess(p.child);
    expect(p.output().match(KEY)).toBeNull();
    expect(p.stderr()).not.toContain("FIRST ADMIN KEY");
  });
});
