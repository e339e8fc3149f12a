/** Joins class names, skipping falsy ones. */
export function cn(...parts: (string | false | null | undefined)[]): string {
  return parts.filter(Boolean).join(" ");
}

type VariantMap = Record<string, Record<string, string>>;
type Choice<V extends VariantMap> = { [K in keyof V]?: keyof V[K] };

/**
 * A small class-variance helper (the cva idea without the dependency): a base
 * class string, named variants, and their defaults. Every component's visual
 * variants live in one such table.
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
