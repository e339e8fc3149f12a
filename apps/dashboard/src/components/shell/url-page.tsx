import { Suspense, type ComponentType } from "react";
import { PageSkeleton } from "@/components/ui/skeleton";

/**
 * A page whose client view reads its filters from the URL (useSearchParams):
 * Next requires a Suspense boundary around it, or the whole route renders
 * on the client only; the page skeleton shows until the view is ready.
 * https://nextjs.org/docs/app/api-reference/functions/use-search-params
 */
export function urlPage(View: ComponentType): ComponentType {
  function UrlPage() {
    return (
      <Suspense fallback={<PageSkeleton />}>
        <View />
      </Suspense>
    );
  }
  UrlPage.displayName = `UrlPage(${View.displayName ?? View.name})`;
  return UrlPage;
}
