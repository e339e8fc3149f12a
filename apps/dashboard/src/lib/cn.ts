import { extendTailwindMerge } from "tailwind-merge";

/**
 * tailwind-merge told about our own `@theme` tokens (src/app/globals.css):
 * without them it would read `shadow-hard-accent` as a shadow *colour* and
 * let it sit beside `shadow-hard`, and would not know `tracking-label` or our
 * animations, so a caller's class could not override a variant's.
 */
const merge = extendTailwindMerge({
  extend: {
    theme: {
      shadow: ["hard", "hard-sm", "hard-accent", "hard-fg", "hard-danger"],
      tracking: ["label"],
      animate: ["pulse-square", "blink"],
    },
  },
});

/**
 * Joins class names, skipping falsy ones; of two Tailwind classes that set the
 * same thing the later wins (`cn("px-3", "px-4")` is `px-4`), so a caller's
 * `className` overrides a variant's instead of racing it in CSS order.
 */
export function cn(...parts: (string | false | null | undefined)[]): string {
  return merge(parts.filter(Boolean).join(" "));
}

type VariantMap = Record<string, Record<string, string>>;
type Choice<V extends VariantMap> = { [K in keyof V]?: keyof V[K] };

/**
 * A small class-variance helper (the cva idea without the dependency): a base
 * class string, named variants, and their defaults. Every component's visual
 * variants live in one such table; the caller's `extra` classes go last
 * through `cn`, so they win over the variant's. Why not cva: README, Dashboard.
 */
export function variants<V extends VariantMap>(base: string, table: V, defaults: { [K in keyof V]: keyof V[K] }) {
  return (choice: Choice<V> = {}, extra?: string): string => {
    const picked = Object.keys(table).map((k) => {
      const key = (choice[k] ?? defaults[k]) as string;
      return table[k]?.[key] ?? "";
    });
    return cn(base, ...picked, extra);
  };
}
