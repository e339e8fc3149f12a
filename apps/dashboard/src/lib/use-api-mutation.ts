"use client";

import { useMutation, useQueryClient, type QueryKey } from "@tanstack/react-query";
import { useToast } from "@/components/ui/toast";

/**
 * A form's request: on success it refreshes the queries it changed, says so
 * in a toast and runs `then` (reset the form, close the dialog). A failure
 * stays on the mutation's `error`, for the form to show under its fields
 * (src/lib/field-errors.ts), so it is not toasted too.
 */
export function useApiMutation<TVars, TResult>({
  call,
  refresh,
  done,
  then,
}: {
  call: (vars: TVars) => Promise<TResult>;
  refresh: readonly QueryKey[];
  done: (result: TResult) => string;
  then?: (result: TResult) => void;
}) {
  const qc = useQueryClient();
  const toast = useToast();
  return useMutation({
    mutationFn: call,
    onSuccess: (result) => {
      for (const queryKey of refresh) void qc.invalidateQueries({ queryKey });
      toast.ok(done(result));
      then?.(result);
    },
  });
}
