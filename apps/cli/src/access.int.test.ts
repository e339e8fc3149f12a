import { randomUUID } from "node:crypto";
import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { tempDir, TEST_ADMIN_KEY } from "@industrial/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startCliHarness, type CliHarness, type CliRun } from "./testing/cli-harness";

/**
 * Logging in and managing access with the CLI as people run it, against a
 * real orchestrator whose admin key is TEST_ADMIN_KEY (testing/cli-harness.ts).
 * Runs "as a person" have no ORCHESTRATOR_TOKEN and a config home of their
 * own, so only what `orchestrator login` stored can authenticate them.
 */
let harness: CliHarness;
const homes = tempDir("orch-cli-access-");
let homeCount = 0;

/** A fresh, empty XDG_CONFIG_HOME. */
const newHome = () => join(homes.path, `home-${++homeCount}`);
const credentialsFile = (home: string) => join(home, "industrial-orchestrator", "credentials");

/** The CLI with no key in the environment and `home` as its config home. */
const asPerson = (home: string, args: string[], stdin?: string): Promise<CliRun> =>
  harness.cliWith(
    { env: { ORCHESTRATOR_TOKEN: undefined, XDG_CONFIG_HOME: home }, ...(stdin === undefined ? {} : { stdin }) },
    ...args,
  );
/** The CLI with this key in ORCHESTRATOR_TOKEN (and an empty config home, so nothing stored interferes). */
const withKey = (key: string, ...args: string[]): Promise<CliRun> =>
  harness.cliWith({ env: { ORCHESTRATOR_TOKEN: key, XDG_CONFIG_HOME: newHome() } }, ...args);
const admin = (...args: string[]) => harness.cli(...args);

async function createKey(
  name: string,
  role: string,
  ...more: string[]
): Promise<{ id: string; key: string; prefix: string; role: string }> {
  const r = await admin("keys", "create", name, "--role", role, ...more, "--json");
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as { id: string; key: string; prefix: string; role: string };
}

/** Revocation reaches every replica within the key cache's half second: ask until it has. */
async function until401(run: () => Promise<CliRun>): Promise<CliRun> {
  for (let i = 0; ; i++) {
    const r = await run();
    if (r.stderr.includes("HTTP 401") || i >= 10) return r;
    await new Promise((res) => setTimeout(res, 200));
  }
}

beforeAll(async () => {
  harness = await startCliHarness();
});

afterAll(async () => {
  await harness?.stop();
  homes.remove();
});

describe("orchestrator login, logout, whoami", () => {
  it("without any key, a command fails with 401 and says how to log in", async () => {
    const r = await asPerson(newHome(), ["ls"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("UNAUTHENTICATED (HTTP 401)");
    expect(r.stderr).toContain(`orchestrator login --url ${harness.url}`);
    expect(r.stderr).toContain("ORCHESTRATOR_TOKEN");
  });

  it("login --key-stdin checks the key, stores it 0600 for this URL; then commands work without ORCHESTRATOR_TOKEN", async () => {
    const home = newHome();
    const r = await asPerson(home, ["login", "--key-stdin"], `${TEST_ADMIN_KEY}\n`);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^logged in to http:\/\/127\.0\.0\.1:\d+ as admin of tenant [0-9a-f-]{36}/);
    const file = credentialsFile(home);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(dirname(file)).mode & 0o777).toBe(0o700);
    expect(JSON.parse(readFileSync(file, "utf8"))).toMatchObject({
      version: 1,
      credentials: [{ url: harness.url, key: TEST_ADMIN_KEY }],
    });
    // Neither the key nor anything of it is echoed.
    expect(r.stdout + r.stderr).not.toContain(TEST_ADMIN_KEY);

    const ls = await asPerson(home, ["ls", "--json"]);
    expect(ls.code, ls.stderr).toBe(0);
    expect(JSON.parse(ls.stdout)).toMatchObject({ items: expect.any(Array) });
    const who = await asPerson(home, ["whoami"]);
    expect(who.code, who.stderr).toBe(0);
    expect(who.stdout).toMatch(/role\s+admin/);
    expect(who.stdout).toContain(`stored by \`orchestrator login\` (${file})`);
  });

  it("login reads a piped key without --key-stdin too", async () => {
    const home = newHome();
    const r = await asPerson(home, ["login"], TEST_ADMIN_KEY);
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(credentialsFile(home))).toBe(true);
  });

  it("a wrong key is refused with a clear error and nothing is stored", async () => {
    const home = newHome();
    const r = await asPerson(
      home,
      ["login", "--key-stdin"],
      "io_aaaaaaaaaaaa_0000000000000000000000000000000000000000000\n",
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${harness.url} refused this key (unknown API key); nothing was stored`);
    expect(existsSync(credentialsFile(home))).toBe(false);
    const empty = await asPerson(home, ["login", "--key-stdin"], "\n");
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain("no API key was given");
  });

  it("logout forgets the key of this URL: the next command is 401 again", async () => {
    const home = newHome();
    expect((await asPerson(home, ["login", "--key-stdin"], TEST_ADMIN_KEY)).code).toBe(0);
    const out = await asPerson(home, ["logout"]);
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout).toContain(`logged out of ${harness.url}`);
    expect(JSON.parse(readFileSync(credentialsFile(home), "utf8"))).toEqual({ version: 1, credentials: [] });
    expect((await asPerson(home, ["ls"])).code).toBe(2);
    expect((await asPerson(home, ["logout"])).stdout).toContain("no key was stored");
  });

  it("--token beats ORCHESTRATOR_TOKEN; --tenant must be a tenant id", async () => {
    const r = await harness.cliWith(
      { env: { ORCHESTRATOR_TOKEN: "io_aaaaaaaaaaaa_wrongwrongwrongwrongwrongwrongwrongwrongwro" } },
      "whoami",
      "--json",
      "--token",
      TEST_ADMIN_KEY,
    );
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ role: "admin", authEnabled: true });
    const bad = await admin("ls", "--tenant", "acme");
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("invalid --tenant: must be a tenant id (a UUID)");
  });
});

describe("orchestrator keys", () => {
  it("keys create prints the key once with a warning; the new key acts with its role", async () => {
    const r = await admin("keys", "create", "ci-member", "--role", "member", "--expires", "30d");
    expect(r.code, r.stderr).toBe(0);
    const key = /^ {2}(io_[a-z2-7]{12}_\S+)$/m.exec(r.stdout)?.[1];
    expect(key).toBeDefined();
    expect(r.stdout).toMatch(/role\s+member/);
    expect(r.stderr).toContain("shown now and never again");
    const who = await withKey(key!, "whoami", "--json");
    expect(who.code, who.stderr).toBe(0);
    expect(JSON.parse(who.stdout)).toMatchObject({ role: "member" });
  });

  it("keys ls lists keys with their prefix and never the key itself", async () => {
    const made = await createKey("listed", "viewer");
    const r = await admin("keys", "ls");
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^ID\s+NAME\s+ROLE\s+PREFIX\s+CREATED\s+LAST USED\s+EXPIRES\s+REVOKED$/m);
    expect(r.stdout).toMatch(new RegExp(`^${made.id.slice(0, 8)}\\s+listed\\s+viewer\\s+io_${made.prefix}\\s`, "m"));
    const json = await admin("keys", "ls", "--json");
    expect(json.stdout).not.toContain(made.key);
    expect(JSON.parse(json.stdout).items.map((k: { id: string }) => k.id)).toContain(made.id);
  });

  it("keys revoke <prefix>: the key gets 401 at once and the CLI says how to log in", async () => {
    const made = await createKey("to-revoke", "member");
    expect((await withKey(made.key, "whoami")).code).toBe(0);
    const r = await admin("keys", "revoke", `io_${made.prefix}`);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`revoked API key to-revoke (io_${made.prefix}, ${made.id})`);
    const refused = await until401(() => withKey(made.key, "ls"));
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("error: this API key was revoked");
    expect(refused.stderr).toMatch(/hint\s+the key in ORCHESTRATOR_TOKEN was refused; .*orchestrator login/);
    // Revoked keys stay listed with --all, and by id prefix too.
    const all = await admin("keys", "ls", "--all", "--json");
    expect(JSON.parse(all.stdout).items.find((k: { id: string }) => k.id === made.id)?.revokedAt).toEqual(
      expect.any(String),
    );
    expect((await admin("keys", "revoke", made.id.slice(0, 8))).code).toBe(0);
  });

  it("a stored key that gets revoked: the 401 says to log in again", async () => {
    const made = await createKey("laptop", "viewer");
    const home = newHome();
    expect((await asPerson(home, ["login", "--key-stdin"], made.key)).code).toBe(0);
    expect((await admin("keys", "revoke", made.prefix)).code).toBe(0);
    const r = await until401(() => asPerson(home, ["ls"]));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/hint\s+the key stored by `orchestrator login` for .* was refused; log in again/);
  });

  it("a viewer's stop is refused with the role it needs", async () => {
    const viewer = await createKey("watcher", "viewer");
    const r = await withKey(viewer.key, "stop", randomUUID());
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("error: stopSession needs the member role; this key is viewer");
    expect(r.stderr).toContain("FORBIDDEN (HTTP 403)");
    expect(r.stderr).toContain("orchestrator keys create");
    const keys = await withKey(viewer.key, "keys", "ls");
    expect(keys.stderr).toContain("needs the admin role");
  });
});

describe("orchestrator users and audit", () => {
  it("users add, ls, set, rm — with keys made for the user revoked on removal", async () => {
    const add = await admin("users", "add", "Alice Example", "--email", "alice@example.com", "--role", "lead");
    expect(add.code, add.stderr).toBe(0);
    expect(add.stdout).toMatch(/^added user Alice Example <alice@example\.com>, lead \([0-9a-f-]{36}\)/);

    const ls = await admin("users", "ls");
    expect(ls.code, ls.stderr).toBe(0);
    expect(ls.stdout).toMatch(/^[0-9a-f]{8}\s+Alice Example\s+alice@example\.com\s+lead\s/m);

    const set = await admin("users", "set", "alice@example.com", "--role", "member", "--json");
    expect(set.code, set.stderr).toBe(0);
    const user = JSON.parse(set.stdout) as { id: string; role: string };
    expect(user.role).toBe("member");
    const none = await admin("users", "set", user.id);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("give at least one of --name, --email, --role");

    const key = await createKey("alice-cli", "member", "--user", "alice@example.com");
    expect(JSON.parse((await withKey(key.key, "whoami", "--json")).stdout)).toMatchObject({
      role: "member",
      userId: user.id,
    });

    const rm = await admin("users", "rm", user.id.slice(0, 8));
    expect(rm.code, rm.stderr).toBe(0);
    expect(rm.stdout).toContain("1 key of it revoked");
    expect((await admin("users", "ls")).stdout).not.toContain("alice@example.com");
    expect((await admin("users", "rm", "alice@example.com")).code).toBe(3);
  });

  it("audit lists who did what, filtered and paged with the cursor", async () => {
    const r = await admin("audit", "--action", "createApiKey", "--since", "1h", "--limit", "1");
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^TIME \(UTC\)\s+ACTOR\s+ACTION\s+TARGET\s+STATUS\s+REQUEST$/m);
    expect(r.stdout).toMatch(/createApiKey\s+POST \/api\/v1\/api-keys\s+201/);
    const cursor = /more with --cursor (\S+)/.exec(r.stdout)?.[1];
    expect(cursor).toBeDefined();
    const next = await admin("audit", "--action", "createApiKey", "--limit", "1", "--cursor", cursor!, "--json");
    expect(next.code, next.stderr).toBe(0);
    const all = JSON.parse((await admin("audit", "--action", "createApiKey", "--all", "--json")).stdout) as {
      items: { id: string; action: string }[];
      nextCursor: null;
    };
    expect(all.items.length).toBeGreaterThan(2);
    expect(all.items.every((e) => e.action === "createApiKey")).toBe(true);
    expect(all.items[1]?.id).toBe(JSON.parse(next.stdout).items[0].id);
  });
});
