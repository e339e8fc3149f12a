"use client";

import type { ApiKeyCreatedView } from "@industrial/contracts";
import { useRef, useState } from "react";
import { formatTime } from "@/lib/format";
import { RoleBadge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";

/**
 * Copies the key: the Clipboard API where the page is a secure context
 * (https, localhost), else the element's text selected and the old copy
 * command (a dashboard on plain http elsewhere has no Clipboard API).
 */
async function copyFrom(el: HTMLElement): Promise<boolean> {
  const text = el.textContent ?? "";
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    // Refused (permissions): fall through to the selection.
  }
  const range = document.createRange();
  range.selectNodeContents(el);
  const selection = window.getSelection();
  selection?.removeAllRanges();
  selection?.addRange(range);
  return document.execCommand("copy");
}

/**
 * A new key, the only time anyone sees it: the key in full (one click
 * selects it, or Copy), said loudly that it will not be shown again, and how
 * to use it. Closing drops it from the page.
 */
export function KeyShownOnce({ created, onDone }: { created: ApiKeyCreatedView; onDone: () => void }) {
  const field = useRef<HTMLElement>(null);
  const [copied, setCopied] = useState<"yes" | "no" | null>(null);
  const copy = async () => setCopied(field.current && (await copyFrom(field.current)) ? "yes" : "no");
  return (
    <div data-slot="key-shown-once" className="flex flex-col gap-4">
      <div role="alert" className="flex flex-col gap-1 border-2 border-st-degraded bg-bg p-3">
        <p className="label text-st-degraded">⚠ Copy it now: you will not see this key again</p>
        <p className="text-sm text-muted">
          The orchestrator keeps only a hash of it. If it is lost, revoke it and create another.
        </p>
      </div>
      <div className="flex flex-col gap-1.5">
        <p className="label text-muted">API key · {created.name}</p>
        {/* The whole key, wrapped, selected whole by one click (user-select: all), or copied with the button. */}
        <code
          ref={field}
          data-slot="created-key"
          className="block border-2 border-line bg-bg px-3 py-2 text-sm break-all text-accent-strong select-all"
        >
          {created.key}
        </code>
        <div className="flex items-center justify-between gap-3">
          <p role="status" className="text-xs text-muted">
            {copied === "yes"
              ? "The key is on the clipboard."
              : copied === "no"
                ? "Copying was refused: select the key and copy it by hand."
                : "Nothing else will show it."}
          </p>
          <Button variant="primary" onClick={() => void copy()} className="w-32 shrink-0">
            {copied === "yes" ? "Copied ✓" : "Copy"}
          </Button>
        </div>
      </div>
      <dl className="grid grid-cols-2 gap-x-6 gap-y-2 text-sm sm:grid-cols-4">
        <div>
          <dt className="label text-subtle">Role</dt>
          <dd className="mt-0.5">
            <RoleBadge role={created.role} />
          </dd>
        </div>
        <div>
          <dt className="label text-subtle">Prefix</dt>
          <dd className="mt-0.5 text-fg">{created.prefix}</dd>
        </div>
        <div className="col-span-2">
          <dt className="label text-subtle">Expires</dt>
          <dd className="num mt-0.5 text-fg">{created.expiresAt ? formatTime(created.expiresAt) : "never"}</dd>
        </div>
      </dl>
      <div className="flex flex-col gap-1 border-t-2 border-line pt-3 text-xs text-muted">
        <p className="label text-subtle">Use it</p>
        <p>
          Dashboard: paste it on the sign-in page. CLI: <code className="text-fg">orchestrator login</code>. HTTP:{" "}
          <code className="text-fg">Authorization: Bearer &lt;key&gt;</code>.
        </p>
      </div>
      <div className="flex justify-end">
        <Button variant="secondary" onClick={onDone}>
          Done: I have copied it
        </Button>
      </div>
    </div>
  );
}
