import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { UsageError } from "./cli-error";
import { createContext, type ContextIo } from "./context";
import { chooseCredential, parseTenantOption, unauthenticatedHint } from "./credential-choice";
import { credentialsPath, saveCredential } from "./credentials";

const TENANT = "11111111-2222-4333-8444-555555555555";
const never = () => {
  throw new Error("the credentials file must not be read");
};

describe("chooseCredential", () => {
  it("--token beats ORCHESTRATOR_TOKEN, which beats the stored key; the file is read only when needed", () => {
    expect(chooseCredential({ flag: "flag-key", env: "env-key", stored: never })).toEqual({
      token: "flag-key",
      source: "--token",
    });
    expect(chooseCredential({ flag: undefined, env: "env-key", stored: never })).toEqual({
      token: "env-key",
      source: "ORCHESTRATOR_TOKEN",
    });
    expect(chooseCredential({ flag: undefined, env: undefined, stored: () => "stored-key" })).toEqual({
      token: "stored-key",
      source: "login",
    });
    expect(chooseCredential({ flag: undefined, env: undefined, stored: () => undefined })).toEqual({
      token: null,
      source: "none",
    });
  });

  it("an empty ORCHESTRATOR_TOKEN counts as unset; an empty --token is a usage error", () => {
    expect(chooseCredential({ flag: undefined, env: "  ", stored: () => "stored-key" })).toEqual({
      token: "stored-key",
      source: "login",
    });
    expect(() => chooseCredential({ flag: "", env: "env-key", stored: never })).toThrow(UsageError);
  });
});

describe("unauthenticatedHint", () => {
  const url = "http://127.0.0.1:8000";
  it("says how to log in, and which key to fix when one was sent", () => {
    expect(unauthenticatedHint("none", url)).toBe(
      "log in with `orchestrator login --url http://127.0.0.1:8000` (it asks for an API key), or set ORCHESTRATOR_TOKEN to one",
    );
    expect(unauthenticatedHint(undefined, url)).toContain("orchestrator login");
    expect(unauthenticatedHint("ORCHESTRATOR_TOKEN", url)).toMatch(
      /^the key in ORCHESTRATOR_TOKEN was refused; .*unset it and log in/,
    );
    expect(unauthenticatedHint("login", url)).toMatch(
      /^the key stored by `orchestrator login` for http:\/\/127.0.0.1:8000 was refused; log in again/,
    );
    expect(unauthenticatedHint("--token", url)).toMatch(/^the key given with --token was refused/);
  });
});

describe("parseTenantOption", () => {
  it("--tenant beats ORCHESTRATOR_TENANT; a non-UUID names where it came from", () => {
    expect(parseTenantOption(undefined, undefined)).toBeNull();
    expect(parseTenantOption(undefined, "")).toBeNull();
    expect(parseTenantOption(TENANT.toUpperCase(), "nope")).toBe(TENANT);
    expect(parseTenantOption(undefined, TENANT)).toBe(TENANT);
    expect(() => parseTenantOption("acme", undefined)).toThrow("invalid --tenant: must be a tenant id (a UUID)");
    expect(() => parseTenantOption(undefined, "acme")).toThrow("invalid ORCHESTRATOR_TENANT");
  });
});

describe("createContext sends the chosen key and tenant", () => {
  let root: string;
  let path: string;
  const sink = () =>
    Object.assign(new Writable({ write: (_c, _e, cb) => cb() }), { isTTY: false }) as unknown as NodeJS.WriteStream;

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), "orch-ctx-"));
    path = credentialsPath({ XDG_CONFIG_HOME: root }, root);
    saveCredential(path, { url: "http://127.0.0.1:8000", key: "stored-key" }, new Date());
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  /** The headers of one /me call through a context built from these options and environment. */
  async function sent(
    opts: { token?: string; tenant?: string; url?: string },
    env: Record<string, string> = {},
  ): Promise<{ headers: Headers; source: string | undefined }> {
    let headers = new Headers();
    const fetchStub = (async (_url: string, init: RequestInit) => {
      headers = new Headers(init.headers);
      return new Response(
        JSON.stringify({
          tenantId: TENANT,
          homeTenantId: TENANT,
          role: "viewer",
          keyId: null,
          userId: null,
          authEnabled: true,
        }),
        { status: 200 },
      );
    }) as typeof fetch;
    const io: ContextIo = {
      env: { XDG_CONFIG_HOME: root, ...env },
      stdout: sink(),
      stderr: sink(),
      home: root,
      fetch: fetchStub,
    };
    const ctx = createContext(opts, io);
    await ctx.client.call("me");
    return { headers, source: ctx.credentialSource };
  }

  it("uses the key stored for the URL in use, and only for that URL", async () => {
    const stored = await sent({ url: "http://127.0.0.1:8000/" });
    expect(stored.headers.get("authorization")).toBe("Bearer stored-key");
    expect(stored.source).toBe("login");
    const other = await sent({ url: "http://127.0.0.1:9000" });
    expect(other.headers.get("authorization")).toBeNull();
    expect(other.source).toBe("none");
  });

  it("ORCHESTRATOR_TOKEN beats the stored key, --token beats both", async () => {
    expect((await sent({}, { ORCHESTRATOR_TOKEN: "env-key" })).headers.get("authorization")).toBe("Bearer env-key");
    expect((await sent({ token: "flag-key" }, { ORCHESTRATOR_TOKEN: "env-key" })).headers.get("authorization")).toBe(
      "Bearer flag-key",
    );
  });

  it("--tenant / ORCHESTRATOR_TENANT become X-Tenant-Id", async () => {
    expect((await sent({})).headers.get("x-tenant-id")).toBeNull();
    expect((await sent({}, { ORCHESTRATOR_TENANT: TENANT })).headers.get("x-tenant-id")).toBe(TENANT);
    expect((await sent({ tenant: TENANT }, { ORCHESTRATOR_TENANT: "ignored" })).headers.get("x-tenant-id")).toBe(
      TENANT,
    );
  });
});
