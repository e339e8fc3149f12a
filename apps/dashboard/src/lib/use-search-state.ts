"use client";

import { usePathname, useRouter, useSearchParams } from "next/navigation";

/** A URL value, as the page keeps it: one string, a list (comma-joined), or absent. */
export type SearchValue = string | readonly string[] | null;

/**
 * The page's URL as its state: the current params, `set` to change some keys
 * (empty or null removes one) and `replace` to write a whole query string.
 * Both replace the history entry without scrolling, so filtering does not
 * fill Back with every click. Lists are comma-joined and the commas kept
 * readable (`status=running,failed`). Why this is not nuqs: see the README's
 * Dashboard section.
 */
export function useSearchState() {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const replace = (qs: string) => router.replace(qs ? `${pathname}?${qs}` : pathname, { scroll: false });
  const set = (changes: Record<string, SearchValue>) => {
    const p = new URLSearchParams(params.toString());
    for (const [key, value] of Object.entries(changes)) {
      const text = typeof value === "string" ? value : (value ?? []).join(",");
      if (text) p.set(key, text);
      else p.delete(key);
    }
    replace(p.toString().replace(/%2C/g, ","));
  };
  return { params, pathname, set, replace };
}
