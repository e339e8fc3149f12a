import Anser from "anser";

/** One of the 16 named terminal colours: drawn with the theme's `ansi-*` tokens (readable on the dark terminal). */
export type AnsiName =
  | "black"
  | "red"
  | "green"
  | "yellow"
  | "blue"
  | "magenta"
  | "cyan"
  | "white"
  | "bright-black"
  | "bright-red"
  | "bright-green"
  | "bright-yellow"
  | "bright-blue"
  | "bright-magenta"
  | "bright-cyan"
  | "bright-white";

/** A colour: a named one (a theme token) or any other as `rgb(r, g, b)` (256-colour palette, true colour). */
export type AnsiColor = AnsiName | `rgb(${string})`;

export type AnsiStyle = "bold" | "dim" | "italic" | "underline" | "strikethrough" | "reverse";

/** A run of text with one style. Plain text has no fg, bg or styles. */
export interface AnsiSpan {
  text: string;
  fg?: AnsiColor;
  bg?: AnsiColor;
  styles?: AnsiStyle[];
}

// anser (docs/dashboard-terminal.md) reports colours as "r, g, b"; the 16 of its
// standard table get their names back so the theme draws them, not anser's
// dark-on-dark defaults (its blue, 0,0,187, is unreadable on our background).
const NAMED: Record<string, AnsiName> = {
  "0,0,0": "black",
  "187,0,0": "red",
  "0,187,0": "green",
  "187,187,0": "yellow",
  "0,0,187": "blue",
  "187,0,187": "magenta",
  "0,187,187": "cyan",
  "255,255,255": "white",
  "85,85,85": "bright-black",
  "255,85,85": "bright-red",
  "0,255,0": "bright-green",
  "255,255,85": "bright-yellow",
  "85,85,255": "bright-blue",
  "255,85,255": "bright-magenta",
  "85,255,255": "bright-cyan",
};
const STYLES = new Set<string>(["bold", "dim", "italic", "underline", "strikethrough", "reverse"]);

function colorOf(rgb: string | null | undefined): AnsiColor | undefined {
  if (!rgb) return undefined;
  const key = rgb.replace(/\s+/g, "");
  return NAMED[key] ?? `rgb(${key.split(",").join(", ")})`;
}

/** Operating-system commands (titles, hyperlinks: ESC ] … BEL or ESC \) carry no text to show. */
// eslint-disable-next-line no-control-regex -- control characters are what this matches
const OSC = /\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?/g;
/** Control characters a browser would draw as boxes or drop unpredictably (tab, newline, CR and ESC are handled apart). */
// eslint-disable-next-line no-control-regex -- control characters are what this matches
const CONTROL = /[\x00-\x08\x0b\x0c\x0e-\x1a\x1c-\x1f\x7f]/g;
/** Whatever escape sequence anser left (cursor moves, private modes): dropped. */
// eslint-disable-next-line no-control-regex -- control characters are what this matches
const LEFTOVER_ESC = /\x1b(?:\[[0-?]*[ -/]*[@-~]|[@-Z\\-_]|$)/g;
const TAB = 8;

/** Whether a text holds an escape sequence at all (the common case, plain text, skips the parser). */
export function hasEscapes(text: string): boolean {
  return text.includes("\x1b");
}

function sameStyle(a: AnsiSpan, b: AnsiSpan): boolean {
  return a.fg === b.fg && a.bg === b.bg && (a.styles ?? []).join() === (b.styles ?? []).join();
}

/**
 * A text's lines as styled spans, the way a terminal shows it: SGR colours and
 * styles carried across newlines, a carriage return overwriting its line from
 * the start (progress bars keep their last state), tabs expanded to stops of
 * 8 columns, other control characters and escape sequences dropped. Pure.
 */
export function toAnsiLines(text: string): AnsiSpan[][] {
  const clean = text.replace(/\r\n/g, "\n").replace(OSC, "").replace(CONTROL, "");
  const chunks: AnsiSpan[] = hasEscapes(clean)
    ? Anser.ansiToJson(clean, { remove_empty: true }).map((c) => {
        const span: AnsiSpan = { text: c.content.replace(LEFTOVER_ESC, "") };
        const fg = colorOf(c.fg_truecolor || c.fg);
        const bg = colorOf(c.bg_truecolor || c.bg);
        const styles = (c.decorations ?? []).filter((d): d is AnsiStyle => STYLES.has(d));
        if (fg) span.fg = fg;
        if (bg) span.bg = bg;
        if (styles.length) span.styles = styles;
        return span;
      })
    : [{ text: clean }];

  const lines: AnsiSpan[][] = [[]];
  let col = 0;
  for (const chunk of chunks) {
    const pieces = chunk.text.split("\n");
    pieces.forEach((piece, i) => {
      if (i > 0) {
        lines.push([]);
        col = 0;
      }
      const line = lines[lines.length - 1]!;
      const cr = piece.lastIndexOf("\r");
      if (cr >= 0) {
        // A carriage return starts the line over: what came before it on this line is overwritten.
        line.length = 0;
        col = 0;
        piece = piece.slice(cr + 1);
      }
      if (!piece) return;
      let out = "";
      for (const ch of piece) {
        if (ch === "\t") {
          const n = TAB - (col % TAB);
          out += " ".repeat(n);
          col += n;
        } else {
          out += ch;
          col += 1;
        }
      }
      const span: AnsiSpan = { ...chunk, text: out };
      const last = line[line.length - 1];
      if (last && sameStyle(last, span)) last.text += out;
      else line.push(span);
    });
  }
  return lines;
}

/** A line's text without its styles (what search, copy and measuring read). */
export function plainOf(spans: readonly AnsiSpan[]): string {
  let s = "";
  for (const x of spans) s += x.text;
  return s;
}

/** Whether a line has any style worth drawing (else it is kept as plain text). */
export function isStyled(spans: readonly AnsiSpan[]): boolean {
  return spans.some((s) => s.fg !== undefined || s.bg !== undefined || (s.styles?.length ?? 0) > 0);
}
