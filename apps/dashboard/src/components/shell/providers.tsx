"use client";

import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { useState, type ReactNode } from "react";
import { connectionStore, isConnectionFailure } from "@/lib/connection";
import { ToastProvider } from "@/components/ui/toast";
import { LiveUpdates } from "./live-updates";

function report(error: unknown) {
  if (isConnectionFailure(error)) connectionStore.report(false);
}

/** Server state (TanStack Query) and toasts; every answer feeds the connection indicator. */
export function Providers({ children }: { children: ReactNode }) {
  const [client] = useState(
    () =>
      new QueryClient({
        queryCache: new QueryCache({ onError: report, onSuccess: () => connectionStore.report(true) }),
        mutationCache: new MutationCache({ onError: report }),
        defaultOptions: {
          queries: { retry: 1, retryDelay: 500, refetchOnWindowFocus: false, staleTime: 500 },
          mutations: { retry: 0 },
        },
      }),
  );
  return (
    <QueryClientProvider client={client}>
      <LiveUpdates />
      <ToastProvider>{children}</ToastProvider>
    </QueryClientProvider>
  );
}
