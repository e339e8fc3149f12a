import type { SessionStatus } from "@industrial/core";

/** A colour function: the identity when colour is off. */
export type Paint = (text: string) => string;

export interface Colors {
  enabled: boolean;
  red: Paint;
  green: Paint;
  yellow: Paint;
  blue: Paint;
  magenta: Paint;
  cyan: Paint;
  gray: Paint;
  bold: Paint;
  dim: Paint;
}

const sgr =
  (open: number, close: number): Paint =>
  (t) =>
    `\x1b[${open}m${t}\x1b[${close}m`;
const plain: Paint = (t) => t;

/**
 * Our own eight colours rather than a dependency: the CLI needs no more, and
 * the on/off decision (TTY, NO_COLOR, --no-color, --json) is made once, by
 * the caller, in `shouldUseColor`.
 */
export function createColors(enabled: boolean): Colors {
  const c = (open: number, close = 39) => (enabled ? sgr(open, close) : plain);
  return {
    enabled,
    red: c(31),
    green: c(32),
    yellow: c(33),
    blue: c(34),
    magenta: c(35),
    cyan: c(36),
    gray: c(90),
    bold: c(1, 22),
    dim: c(2, 22),
  };
}

/** https://no-color.org: any non-empty NO_COLOR turns colour off; so do --no-color, --json and a non-TTY stream. */
export function shouldUseColor(input: {
  flag: boolean;
  json: boolean;
  isTTY: boolean;
  env: Record<string, string | undefined>;
}): boolean {
  if (!input.flag || input.json) return false;
  if (input.env.NO_COLOR) return false;
  if (input.env.FORCE_COLOR && input.env.FORCE_COLOR !== "0") return true;
  return input.isTTY;
}

/** The colour of a status everywhere in the CLI: green done, red failed, cyan working, yellow waiting on a person. */
export function statusPaint(colors: Colors, status: SessionStatus): Paint {
  switch (status) {
    case "completed":
      return colors.green;
    case "partially_completed":
    case "paused":
    case "degraded":
      return colors.yellow;
    case "failed":
    case "timeout":
      return colors.red;
    case "running":
      return colors.cyan;
    case "pending":
    case "queued":
      return colors.blue;
    case "orphaned":
      return colors.magenta;
    case "stopped":
    case "cancelled":
      return colors.gray;
  }
}

/** Length as the terminal shows it: colour codes take no columns. */
export function visibleLength(text: string): number {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\x1b\[[0-9;]*m/g, "").length;
}
