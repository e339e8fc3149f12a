"use client";

import { ApiError } from "@industrial/contracts";
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from "react";
import { cn } from "@/lib/cn";

interface Toast {
  id: number;
  kind: "ok" | "error";
  text: string;
  requestId?: string;
}

const ToastContext = createContext<{ ok(text: string): void; error(e: unknown, what?: string): void } | null>(null);

/** Toasts: confirmations and the API's error messages (with request ids), bottom right. */
export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const push = useCallback((t: Omit<Toast, "id">) => {
    const id = Date.now() + Math.random();
    setToasts((all) => [...all.slice(-3), { ...t, id }]);
    setTimeout(() => setToasts((all) => all.filter((x) => x.id !== id)), t.kind === "error" ? 8000 : 3000);
  }, []);
  const api = useMemo(
    () => ({
      ok: (text: string) => push({ kind: "ok", text }),
      error: (e: unknown, what?: string) => {
        const msg = e instanceof Error ? e.message : String(e);
        push({
          kind: "error",
          text: what ? `${what}: ${msg}` : msg,
          requestId: e instanceof ApiError ? e.envelope.requestId : undefined,
        });
      },
    }),
    [push],
  );
  return (
    <ToastContext.Provider value={api}>
      {children}
      <div
        aria-live="polite"
        className="pointer-events-none fixed right-4 bottom-4 z-50 flex w-[min(28rem,calc(100%-2rem))] flex-col gap-2"
      >
        {toasts.map((t) => (
          <div
            key={t.id}
            data-slot="toast"
            role={t.kind === "error" ? "alert" : "status"}
            className={cn(
              "pointer-events-auto border-2 bg-panel px-4 py-3 text-sm",
              t.kind === "error" ? "border-st-failed shadow-hard-danger" : "border-fg shadow-hard-accent",
            )}
          >
            <p className={cn("label mb-1", t.kind === "error" ? "text-st-failed" : "text-accent-strong")}>
              {t.kind === "error" ? "✗ Error" : "✓ Done"}
            </p>
            <p className="text-fg">{t.text}</p>
            {t.requestId ? <p className="mt-1 text-xs text-subtle">request id: {t.requestId}</p> : null}
          </div>
        ))}
      </div>
    </ToastContext.Provider>
  );
}

export function useToast() {
  const t = useContext(ToastContext);
  if (!t) throw new Error("useToast outside ToastProvider");
  return t;
}
