import type { PatchTenantBody, TenantView } from "@industrial/contracts";

/**
 * A tenant's notify webhook as the settings form edits it (README,
 * "Notifications"): the URL (empty: the server's default), and the secret,
 * which the API never returns — a new one typed, kept as it is, or removed.
 * Pure.
 */
export interface NotifyWebhookForm {
  url: string;
  /** Typed to replace the secret; empty: keep the one set (or none). */
  newSecret: string;
  /** Remove the secret set (bodies go unsigned); ignored when a new one is typed. */
  removeSecret: boolean;
}

export const toNotifyWebhookForm = (t: Pick<TenantView, "notifyWebhookUrl">): NotifyWebhookForm => ({
  url: t.notifyWebhookUrl ?? "",
  newSecret: "",
  removeSecret: false,
});

/** The PATCH body: the URL (null when cleared), and the secret only when it changes. The server validates both. */
export function fromNotifyWebhookForm(
  f: NotifyWebhookForm,
): Pick<PatchTenantBody, "notifyWebhookUrl" | "notifyWebhookSecret"> {
  const url = f.url.trim();
  const secret =
    f.newSecret !== "" ? { notifyWebhookSecret: f.newSecret } : f.removeSecret ? { notifyWebhookSecret: null } : {};
  return { notifyWebhookUrl: url === "" ? null : url, ...secret };
}
