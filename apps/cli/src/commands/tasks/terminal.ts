/**
 * The width drawings fit on stdout: the terminal's columns, or no limit when
 * stdout is a pipe or a file (nothing wraps there, so nothing is cut).
 */
export function stdoutWidth(): number {
  return process.stdout.isTTY && process.stdout.columns ? process.stdout.columns : Infinity;
}
