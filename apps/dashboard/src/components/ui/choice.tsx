import type { ComponentProps } from "react";
import { cn } from "@/lib/cn";

/**
 * A radio button or checkbox, square like everything else (the browser's own
 * radio is round): an empty box, filled in the accent when chosen. Pass
 * `type="radio"` or `type="checkbox"`.
 */
export function ChoiceInput({ className, ...rest }: ComponentProps<"input">) {
  return (
    <input
      data-slot="choice"
      className={cn(
        "mt-0.5 h-4 w-4 shrink-0 cursor-pointer appearance-none border-2 border-line-strong bg-bg checked:border-accent checked:bg-accent checked:shadow-[inset_0_0_0_2px_var(--color-bg)] focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-accent-strong disabled:cursor-not-allowed disabled:opacity-50",
        className,
      )}
      {...rest}
    />
  );
}
