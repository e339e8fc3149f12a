import type { ReactNode } from "react";
import { ErrorPanel } from "./error-panel";
import { RowsSkeleton } from "./skeleton";

/** The part of a TanStack query a view reads to pick what to draw. */
interface QueryLike<T> {
  data: T | undefined;
  isError: boolean;
  error: unknown;
  refetch: () => unknown;
}

/**
 * What a list shows for its query, in the order every page uses: the error
 * panel only while there is no data (a failed refetch keeps the stale data
 * on screen), the loading skeleton, the empty state when `isEmpty`, else the
 * data. `inset` pads the error panel inside a card (the empty state brings
 * its own padding).
 */
export function QueryState<T>({
  query,
  errorTitle,
  loading = <RowsSkeleton rows={4} />,
  isEmpty,
  empty,
  inset,
  children,
}: {
  query: QueryLike<T>;
  errorTitle?: string;
  loading?: ReactNode;
  isEmpty?: (data: T) => boolean;
  empty?: ReactNode;
  inset?: boolean;
  children: (data: T) => ReactNode;
}) {
  if (query.isError && query.data === undefined) {
    const panel = (
      <ErrorPanel
        {...(errorTitle ? { title: errorTitle } : {})}
        error={query.error}
        onRetry={() => void query.refetch()}
      />
    );
    return inset ? <div className="p-4">{panel}</div> : panel;
  }
  if (query.data === undefined) return loading;
  if (isEmpty?.(query.data)) return empty;
  return children(query.data);
}
