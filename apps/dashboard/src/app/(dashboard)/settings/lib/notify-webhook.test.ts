import { describe, expect, it } from "vitest";
import { fromNotifyWebhookForm, toNotifyWebhookForm } from "./notify-webhook";

describe("a tenant's notify webhook in the settings form", () => {
  it("starts from the URL set (empty for the server's default), never a secret", () => {
    expect(toNotifyWebhookForm({ notifyWebhookUrl: "https://hooks.example.com/x" })).toEqual({
      url: "https://hooks.example.com/x",
      newSecret: "",
      removeSecret: false,
    });
    expect(toNotifyWebhookForm({ notifyWebhookUrl: null })).toEqual({ url: "", newSecret: "", removeSecret: false });
  });

  it("sends the trimmed URL or null, and the secret only when it changes", () => {
    expect(fromNotifyWebhookForm({ url: " https://h.example/x ", newSecret: "", removeSecret: false })).toEqual({
      notifyWebhookUrl: "https://h.example/x",
    });
    expect(fromNotifyWebhookForm({ url: "  ", newSecret: "", removeSecret: false })).toEqual({
      notifyWebhookUrl: null,
    });
    expect(
      fromNotifyWebhookForm({ url: "https://h.example/x", newSecret: "a-new-secret-0123456", removeSecret: false }),
    ).toEqual({ notifyWebhookUrl: "https://h.example/x", notifyWebhookSecret: "a-new-secret-0123456" });
    expect(fromNotifyWebhookForm({ url: "https://h.example/x", newSecret: "", removeSecret: true })).toEqual({
      notifyWebhookUrl: "https://h.example/x",
      notifyWebhookSecret: null,
    });
    // A secret typed wins over the box: it is what the person wrote last.
    expect(fromNotifyWebhookForm({ url: "", newSecret: "typed-secret-0123456", removeSecret: true })).toEqual({
      notifyWebhookUrl: null,
      notifyWebhookSecret: "typed-secret-0123456",
    });
  });
});
