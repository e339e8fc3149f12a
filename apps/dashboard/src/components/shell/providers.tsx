"use client";

import { ApiError } from "@industrial/contracts";
import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { useState, type ReactNode } from "react";
import { connectionStore, isConnectionFailure } from "@/lib/connection";
import { ToastProvider } from "@/components/ui/toast";

/** A 4xx is the server's answer, not a hiccup: asking again says the same (and a 401 has already left for sign-in). */
function retryOnce(failures: number, error: unknown): boolean {
  if (error instanceof ApiError && error.status < 500) return false;
  return failures < 1;
}

function report(error: unknown) {
  if (isConnectionFailure(error)) connectionStore.report(false);
}

/**
 * Server state (TanStack Query) and toasts; every answer feeds the connection
 * indicator. The live feed belongs to the shell (shell.tsx), which opens it
 * once someone is signed in.
 */
export function Providers({ children }: { children: ReactNode }) {
  const [client] = useState(
    () =>
      new QueryClient({
        queryCache: new QueryCache({ onError: report, onSuccess: () => connectionStore.report(true) }),
        mutationCache: new MutationCache({ onError: report }),
        defaultOptions: {
          queries: { retry: retryOnce, retryDelay: 500, refetchOnWindowFocus: false, staleTime: 500 },
          mutations: { retry: 0 },
        },
      }),
  );
  return (
    <QueryClientProvider client={client}>
      <ToastProvider>{children}</ToastProvider>
    </QueryClientProvider>
  );
}
