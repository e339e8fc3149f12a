"use client";

import { ApiError } from "@industrial/contracts";
import { Button } from "./button";

/** What went wrong, in the API's words, with its request id for the logs. */
export function ErrorPanel({
  error,
  onRetry,
  title = "Request failed",
}: {
  error: unknown;
  onRetry?: () => void;
  title?: string;
}) {
  const api = error instanceof ApiError ? error : null;
  // fetch's own failure (a TypeError) means the orchestrator was not reached at all.
  const message = api
    ? api.message
    : error instanceof TypeError
      ? `The orchestrator cannot be reached (${error.message}). Is it running?`
      : error instanceof Error
        ? error.message
        : String(error);
  return (
    <div
      data-slot="error-panel"
      role="alert"
      className="flex flex-col gap-3 border-2 border-st-failed bg-panel p-4 shadow-hard-danger"
    >
      <div className="flex flex-wrap items-center gap-3">
        <span className="label text-st-failed">✗ {title}</span>
        {api ? (
          <span className="label text-muted">
            {api.code} · HTTP {api.status}
          </span>
        ) : null}
      </div>
      <p className="text-sm text-fg">{message}</p>
      {api?.envelope.details?.length ? (
        <ul className="text-xs text-muted">
          {api.envelope.details.map((d) => (
            <li key={d.path + d.reason}>
              {d.path}: {d.reason}
            </li>
          ))}
        </ul>
      ) : null}
      <div className="flex flex-wrap items-center justify-between gap-3">
        <span className="text-xs text-subtle">
          request id: <code className="text-muted">{api?.envelope.requestId || "—"}</code>
        </span>
        {onRetry ? (
          <Button size="sm" onClick={onRetry}>
            Retry
          </Button>
        ) : null}
      </div>
    </div>
  );
}
