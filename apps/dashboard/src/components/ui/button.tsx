import type { ButtonHTMLAttributes } from "react";
import { variants } from "@/lib/cn";

export const buttonClass = variants(
  "inline-flex items-center justify-center gap-2 border-2 label whitespace-nowrap select-none transition-[transform,box-shadow] duration-75 disabled:opacity-40 disabled:cursor-not-allowed enabled:active:translate-x-[2px] enabled:active:translate-y-[2px] enabled:active:shadow-none",
  {
    variant: {
      primary:
        "bg-accent border-accent text-ink shadow-hard-fg enabled:hover:bg-accent-strong enabled:hover:border-accent-strong",
      secondary: "bg-panel border-fg text-fg shadow-hard enabled:hover:bg-raised",
      ghost: "bg-transparent border-transparent text-muted enabled:hover:text-fg enabled:hover:border-line",
      danger:
        "bg-bg border-st-failed text-st-failed shadow-hard-danger enabled:hover:bg-st-failed enabled:hover:text-ink",
    },
    size: {
      sm: "h-8 px-3",
      md: "h-10 px-4",
      icon: "h-9 w-9 p-0",
    },
  },
  { variant: "secondary", size: "md" },
);

type Props = ButtonHTMLAttributes<HTMLButtonElement> & {
  variant?: "primary" | "secondary" | "ghost" | "danger";
  size?: "sm" | "md" | "icon";
  busy?: boolean;
};

/** The one button: primary (the accent), secondary, ghost, danger. */
export function Button({ variant, size, busy, className, children, disabled, type = "button", ...rest }: Props) {
  return (
    <button
      data-slot="button"
      type={type}
      className={buttonClass({ variant, size }, className)}
      disabled={disabled || busy}
      aria-busy={busy || undefined}
      {...rest}
    >
      {busy ? <span aria-hidden className="inline-block h-2 w-2 bg-current animate-blink" /> : null}
      {children}
    </button>
  );
}
