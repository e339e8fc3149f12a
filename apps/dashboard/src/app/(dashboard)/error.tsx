"use client";

import { ErrorPanel } from "@/components/ui/error-panel";

/** A page that threw while rendering: the error and a way to try again, inside the shell. */
export default function PageError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return <ErrorPanel title="This page failed" error={error} onRetry={reset} />;
}
