import { TenantSchema } from "@industrial/contracts";
import { DEFAULT_TENANT_ID } from "@industrial/core";
import { bypassTenantWall, findTenantNotifyWebhook } from "@industrial/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestOrchestrator, type TestOrchestrator } from "./testing/harness";
import { expectError, sendJson } from "./testing/http";
import { asOperator } from "./testing/principals";

// A tenant's own notify webhook (README, "Notifications"; migration 0018): who sets it, what the API
// refuses (naming the field), and that its secret is stored sealed and never returned.
const SECRET = "a-tenant-webhook-secret-0123456789";
let h: TestOrchestrator;
beforeAll(async () => {
  h = await startTestOrchestrator();
});
afterAll(async () => h?.close());

const patch = (body: unknown, key?: string) => sendJson(h.orc.url, "PATCH", `/tenants/${DEFAULT_TENANT_ID}`, body, key);
const stored = () =>
  findTenantNotifyWebhook(bypassTenantWall(h.orc.db, "test: the stored webhook columns"), DEFAULT_TENANT_ID);

describe(`a tenant's notify webhook setting (${process.env.ORCHESTRATOR_TEST_DB})`, () => {
  it("starts unset, and a lead sets the URL and secret: the view says only that a secret is set, the column holds it sealed", async () => {
    const before = TenantSchema.parse((await sendJson(h.orc.url, "GET", `/tenants/${DEFAULT_TENANT_ID}`)).json);
    expect(before).toMatchObject({ notifyWebhookUrl: null, notifyWebhookSecretSet: false });
    const lead = (
      await asOperator<{ key: string }>(h.orc.url, "createApiKey", {
        body: { name: "webhook-lead", role: "lead", tenantId: DEFAULT_TENANT_ID },
      })
    ).key;
    const r = await patch(
      { notifyWebhookUrl: "http://127.0.0.1:9/hooks/orchestrator?team=a", notifyWebhookSecret: SECRET },
      lead,
    );
    expect(r.status, JSON.stringify(r.json)).toBe(200);
    expect(TenantSchema.parse(r.json)).toMatchObject({
      notifyWebhookUrl: "http://127.0.0.1:9/hooks/orchestrator?team=a",
      notifyWebhookSecretSet: true,
    });
    expect(JSON.stringify(r.json)).not.toContain(SECRET);
    expect(JSON.stringify((await sendJson(h.orc.url, "GET", `/tenants/${DEFAULT_TENANT_ID}`)).json)).not.toContain(
      SECRET,
    );
    const row = await stored();
    expect(row?.url).toBe("http://127.0.0.1:9/hooks/orchestrator?team=a");
    expect(row?.sealedSecret).toMatch(/^enc:v1:/);
    expect(row?.sealedSecret).not.toContain(SECRET);
  });

  it("changes the URL alone without touching the secret, and null clears each", async () => {
    await patch({ notifyWebhookUrl: "https://localhost/other" });
    expect((await stored())?.sealedSecret).toMatch(/^enc:v1:/);
    const cleared = TenantSchema.parse((await patch({ notifyWebhookUrl: null, notifyWebhookSecret: null })).json);
    expect(cleared).toMatchObject({ notifyWebhookUrl: null, notifyWebhookSecretSet: false });
    expect(await stored()).toEqual({ url: null, sealedSecret: null });
  });

  it("refuses, naming the field: another scheme, credentials in the URL, a link-local or metadata address, a short secret", async () => {
    await expectError(
      patch({ notifyWebhookUrl: "ftp://example.com/x" }),
      400,
      "INVALID_INPUT",
      "body.notifyWebhookUrl",
    );
    await expectError(
      patch({ notifyWebhookUrl: "https://user:pw@example.com/x" }),
      400,
      "INVALID_INPUT",
      "body.notifyWebhookUrl",
    );
    const metadata = await expectError(
      patch({ notifyWebhookUrl: "http://169.254.169.254/latest/meta-data" }),
      400,
      "INVALID_INPUT",
      "body.notifyWebhookUrl",
    );
    expect(JSON.stringify(metadata.details)).toContain("link-local");
    await expectError(
      patch({ notifyWebhookUrl: "http://[fd00:ec2::254]/" }),
      400,
      "INVALID_INPUT",
      "body.notifyWebhookUrl",
    );
    await expectError(patch({ notifyWebhookSecret: "short" }), 400, "INVALID_INPUT", "body.notifyWebhookSecret");
    expect(await stored()).toEqual({ url: null, sealedSecret: null });
  });

  it("is a lead's to set: a member is refused", async () => {
    const member = (
      await asOperator<{ key: string }>(h.orc.url, "createApiKey", {
        body: { name: "webhook-member", role: "member", tenantId: DEFAULT_TENANT_ID },
      })
    ).key;
    await expectError(patch({ notifyWebhookUrl: "https://example.com/hook" }, member), 403, "FORBIDDEN");
    expect(await stored()).toEqual({ url: null, sealedSecret: null });
  });
});
