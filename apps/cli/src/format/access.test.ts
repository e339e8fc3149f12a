import type { ApiKeyView, AuditEntryView, MeView, UserView } from "@industrial/contracts";
import { describe, expect, it } from "vitest";
import {
  formatActor,
  formatApiKeyCreated,
  formatApiKeyTable,
  formatAuditTable,
  formatExpiry,
  formatKeyPrefix,
  formatMe,
  formatTarget,
  formatUserTable,
} from "./access";
import { createColors } from "./colors";

const plain = createColors(false);
const now = new Date("2026-11-22T03:25:23.000Z");
const TENANT = "00000000-0000-4000-8000-000000000000";

function key(over: Partial<ApiKeyView> = {}): ApiKeyView {
  return {
    id: "3f2a1b2c-0000-4000-8000-000000000001",
    name: "ci",
    role: "member",
    tenantId: TENANT,
    userId: null,
    prefix: "abcdefghijkl",
    createdAt: "2026-11-20T03:25:23.000Z",
    expiresAt: null,
    lastUsedAt: null,
    revokedAt: null,
    ...over,
  };
}

describe("formatApiKeyTable", () => {
  it("shows id prefix, name, role, key prefix, created, last used, expires and revoked", () => {
    const rows = [
      key(),
      key({
        id: "beef0000-0000-4000-8000-000000000002",
        name: "alice laptop",
        role: "admin",
        prefix: "x0a1b2c3d4e5",
        lastUsedAt: "2026-11-22T03:20:23.000Z",
        expiresAt: "2026-12-22T03:25:23.000Z",
      }),
      key({
        id: "cafe0000-0000-4000-8000-000000000003",
        name: "old",
        role: "viewer",
        expiresAt: "2026-11-21T03:25:23.000Z",
        revokedAt: "2026-11-22T01:25:23.000Z",
      }),
    ];
    expect(formatApiKeyTable(rows, plain, now).split("\n")).toEqual([
      "ID        NAME          ROLE    PREFIX           CREATED  LAST USED  EXPIRES         REVOKED",
      "3f2a1b2c  ci            member  io_abcdefghijkl  2d ago   never      never           -",
      "beef0000  alice laptop  admin   x0a1b2c3d4e5     2d ago   5m ago     in 30d          -",
      "cafe0000  old           viewer  io_abcdefghijkl  2d ago   never      expired 1d ago  2h ago",
    ]);
  });

  it("paints expired and revoked keys red when colour is on", () => {
    const c = createColors(true);
    const out = formatApiKeyTable([key({ revokedAt: "2026-11-22T01:25:23.000Z" })], c, now);
    expect(out).toContain(c.red("2h ago"));
    expect(formatExpiry("2026-11-21T03:25:23.000Z", now, c)).toBe(c.red("expired 1d ago"));
  });
});

describe("formatApiKeyCreated", () => {
  it("puts the key alone on its own line, then what it is", () => {
    const created = { ...key({ expiresAt: "2026-12-22T03:25:23.000Z" }), key: "io_abcdefghijkl_SECRET" };
    expect(formatApiKeyCreated(created, plain, now).split("\n")).toEqual([
      "created API key ci",
      "",
      "  io_abcdefghijkl_SECRET",
      "",
      "id       3f2a1b2c-0000-4000-8000-000000000001",
      "name     ci",
      "role     member",
      `tenant   ${TENANT}`,
      "prefix   io_abcdefghijkl",
      "expires  2026-12-22T03:25:23.000Z (in 30d)",
    ]);
  });

  it("an operator's admin key has no io_ prefix of its own", () => {
    expect(formatKeyPrefix("abcdefghijkl")).toBe("io_abcdefghijkl");
    expect(formatKeyPrefix("x0a1b2c3d4e5")).toBe("x0a1b2c3d4e5");
  });
});

describe("formatUserTable", () => {
  it("shows id prefix, name, email, role, created", () => {
    const u: UserView = {
      id: "3f2a1b2c-0000-4000-8000-000000000001",
      tenantId: TENANT,
      name: "Alice",
      email: "alice@example.com",
      role: "lead",
      createdAt: "2026-11-22T00:25:23.000Z",
      updatedAt: "2026-11-22T00:25:23.000Z",
    };
    expect(formatUserTable([u], plain, now).split("\n")).toEqual([
      "ID        NAME   EMAIL              ROLE  CREATED",
      "3f2a1b2c  Alice  alice@example.com  lead  3h ago",
    ]);
  });
});

describe("formatAuditTable", () => {
  it("shows UTC time, a short actor, action, target, status and request id", () => {
    const e = (over: Partial<AuditEntryView>): AuditEntryView => ({
      id: "00000000-0000-4000-8000-0000000000aa",
      at: "2026-11-22T03:25:23.393Z",
      tenantId: TENANT,
      keyId: "beef0000-0000-4000-8000-000000000002",
      userId: null,
      actor: "key:beef0000-0000-4000-8000-000000000002",
      action: "createApiKey",
      target: "POST /api/v1/api-keys",
      status: 201,
      requestId: "req-1",
      ...over,
    });
    const out = formatAuditTable(
      [
        e({}),
        e({
          actor: "anonymous",
          action: "stopSession",
          target: "POST /api/v1/sessions/3f2a1b2c-0000-4000-8000-000000000001/stop",
          status: 403,
          requestId: "req-2",
        }),
      ],
      plain,
    );
    expect(out.split("\n")).toEqual([
      "TIME (UTC)           ACTOR         ACTION        TARGET                               STATUS  REQUEST",
      "2026-11-22 03:25:23  key:beef0000  createApiKey  POST /api/v1/api-keys                   201  req-1",
      "2026-11-22 03:25:23  anonymous     stopSession   POST /api/v1/sessions/3f2a1b2c/stop     403  req-2",
    ]);
    expect(formatActor("user:3f2a1b2c-0000-4000-8000-000000000001")).toBe("user:3f2a1b2c");
    expect(
      formatTarget(`POST /api/v1/tasks/${"a".repeat(8)}-0000-4000-8000-000000000001/dependencies/${"b".repeat(60)}`),
    ).toHaveLength(60);
  });
});

describe("formatMe", () => {
  const me: MeView = {
    tenantId: TENANT,
    homeTenantId: TENANT,
    role: "member",
    keyId: "3f2a1b2c-0000-4000-8000-000000000001",
    userId: null,
    authEnabled: true,
  };

  it("names the server, tenant, role, key and where the key came from", () => {
    expect(
      formatMe(
        me,
        {
          url: "http://127.0.0.1:8000",
          source: "login",
          credentialsPath: "/home/me/.config/industrial-orchestrator/credentials",
        },
        plain,
      ).split("\n"),
    ).toEqual([
      "server       http://127.0.0.1:8000",
      `tenant       ${TENANT}`,
      "role         member",
      "key          3f2a1b2c-0000-4000-8000-000000000001",
      "user         -",
      "credentials  stored by `orchestrator login` (/home/me/.config/industrial-orchestrator/credentials)",
    ]);
  });

  it("shows the key's home tenant when --tenant acts in another, and says when the server checks no keys", () => {
    const other = {
      ...me,
      tenantId: "11111111-2222-4333-8444-555555555555",
      role: "admin" as const,
      authEnabled: false,
    };
    const out = formatMe(other, { url: "http://x", source: "ORCHESTRATOR_TOKEN", credentialsPath: "/p" }, plain);
    expect(out).toContain(`home tenant  ${TENANT} (the key's own; --tenant chose the one above)`);
    expect(out).toContain("credentials  ORCHESTRATOR_TOKEN");
    expect(out).toContain("auth         off on this server (ORCHESTRATOR_AUTH=off): every caller is an admin");
  });
});
