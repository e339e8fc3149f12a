import { DEFAULT_TENANT_ID } from "@industrial/core";
import type { MeView } from "@industrial/contracts";
import { describe, expect, it } from "vitest";
import { computePermissions } from "./permissions";

const OTHER = "11111111-1111-4111-8111-111111111111";
const KEY = "22222222-2222-4222-8222-222222222222";
const USER = "33333333-3333-4333-8333-333333333333";
const me = (role: MeView["role"], home = DEFAULT_TENANT_ID, userId: string | null = null): MeView => ({
  tenantId: home,
  homeTenantId: home,
  role,
  keyId: KEY,
  userId,
  authEnabled: true,
});

describe("permissions from /me", () => {
  it("grants nothing before /me has answered", () => {
    const p = computePermissions(undefined);
    expect([p.can("listSessions"), p.can("stopSession"), p.canControl(null), p.operator]).toEqual([
      false,
      false,
      false,
      false,
    ]);
  });

  it("follows the route table: viewer reads, member creates, lead runs the fleet, admin keys and users", () => {
    const row = (role: MeView["role"]) => {
      const p = computePermissions(me(role));
      return [
        "listSessions",
        "createSession",
        "createAgent",
        "deleteRunner",
        "registerRunner",
        "patchTenant",
        "listAudit",
        "createApiKey",
        "listUsers",
      ].map((r) => p.can(r as never));
    };
    expect(row("viewer")).toEqual([true, false, false, false, false, false, false, false, false]);
    expect(row("member")).toEqual([true, true, false, false, false, false, false, false, false]);
    expect(row("lead")).toEqual([true, true, true, true, false, true, true, false, false]);
    expect(row("admin")).toEqual([true, true, true, true, true, true, true, true, true]);
  });

  it("lets a member control only what it created (the user, else the key); a lead anything; a viewer nothing", () => {
    expect(computePermissions(me("member")).canControl(`key:${KEY}`)).toBe(true);
    expect(computePermissions(me("member")).canControl("key:someone-else")).toBe(false);
    expect(computePermissions(me("member")).canControl(null)).toBe(false);
    expect(computePermissions(me("member", DEFAULT_TENANT_ID, USER)).canControl(`user:${USER}`)).toBe(true);
    expect(computePermissions(me("member", DEFAULT_TENANT_ID, USER)).canControl(`key:${KEY}`)).toBe(false);
    expect(computePermissions(me("lead")).canControl("key:someone-else")).toBe(true);
    expect(computePermissions(me("viewer")).canControl(`key:${KEY}`)).toBe(false);
  });

  it("makes only an admin of the default tenant an operator", () => {
    expect(computePermissions(me("admin")).operator).toBe(true);
    expect(computePermissions(me("lead")).operator).toBe(false);
    expect(computePermissions(me("admin", OTHER)).operator).toBe(false);
  });
});
