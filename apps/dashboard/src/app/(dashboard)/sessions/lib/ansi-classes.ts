import type { AnsiColor, AnsiName, AnsiSpan } from "./ansi";

// Literal class maps: Tailwind generates only the classes it can read whole
// (the tokens are the `--color-ansi-*` of globals.css; docs/dashboard-terminal.md).
const TEXT: Record<AnsiName, string> = {
  black: "text-ansi-black",
  red: "text-ansi-red",
  green: "text-ansi-green",
  yellow: "text-ansi-yellow",
  blue: "text-ansi-blue",
  magenta: "text-ansi-magenta",
  cyan: "text-ansi-cyan",
  white: "text-ansi-white",
  "bright-black": "text-ansi-bright-black",
  "bright-red": "text-ansi-bright-red",
  "bright-green": "text-ansi-bright-green",
  "bright-yellow": "text-ansi-bright-yellow",
  "bright-blue": "text-ansi-bright-blue",
  "bright-magenta": "text-ansi-bright-magenta",
  "bright-cyan": "text-ansi-bright-cyan",
  "bright-white": "text-ansi-bright-white",
};
const BG: Record<AnsiName, string> = {
  black: "bg-ansi-black",
  red: "bg-ansi-red",
  green: "bg-ansi-green",
  yellow: "bg-ansi-yellow",
  blue: "bg-ansi-blue",
  magenta: "bg-ansi-magenta",
  cyan: "bg-ansi-cyan",
  white: "bg-ansi-white",
  "bright-black": "bg-ansi-bright-black",
  "bright-red": "bg-ansi-bright-red",
  "bright-green": "bg-ansi-bright-green",
  "bright-yellow": "bg-ansi-bright-yellow",
  "bright-blue": "bg-ansi-bright-blue",
  "bright-magenta": "bg-ansi-bright-magenta",
  "bright-cyan": "bg-ansi-bright-cyan",
  "bright-white": "bg-ansi-bright-white",
};
const STYLE_CLASS = {
  bold: "font-bold",
  dim: "opacity-75",
  italic: "italic",
  underline: "underline",
  strikethrough: "line-through",
} as const;

/** How a span is drawn: theme classes for the 16 named colours, an inline colour for the 256-colour palette and true colour. */
export interface SpanLook {
  className: string;
  style?: { color?: string; backgroundColor?: string };
}

/** Text drawn in the terminal's background colour (reversed default text) or in ink: both are the `ink` token. */
type TextPaint = AnsiColor | "bg" | "ink";
/** A background of the terminal's own text colour (reversed default text). */
type BgPaint = AnsiColor | "fg";
const isRgb = (c: string): c is `rgb(${string})` => c.startsWith("rgb(");

/**
 * A span's classes and style. Reverse video swaps the colours (a missing one
 * is the terminal's own: `fg`/`bg` tokens; anser swaps them itself into
 * black on white). Text on a coloured background without a colour of its
 * own, or in black, is drawn in ink: our `ansi-black` is a grey readable on
 * the dark terminal, which would vanish on a light background. Pure.
 */
export function computeSpanLook(span: AnsiSpan): SpanLook {
  const styles = span.styles ?? [];
  const reverse = styles.includes("reverse");
  const bg: BgPaint | undefined = reverse ? (span.fg ?? "fg") : span.bg;
  let fg: TextPaint | undefined = reverse ? (span.bg ?? "bg") : span.fg;
  if (bg && bg !== "black" && (!fg || fg === "black")) fg = "ink";

  const classes: string[] = [];
  const style: SpanLook["style"] = {};
  if (fg) {
    if (isRgb(fg)) style.color = fg;
    else classes.push(fg === "bg" || fg === "ink" ? "text-ink" : TEXT[fg]);
  }
  if (bg) {
    if (isRgb(bg)) style.backgroundColor = bg;
    else classes.push(bg === "fg" ? "bg-fg" : BG[bg]);
  }
  for (const s of styles) if (s !== "reverse") classes.push(STYLE_CLASS[s]);
  const look: SpanLook = { className: classes.join(" ") };
  if (style.color || style.backgroundColor) look.style = style;
  return look;
}
