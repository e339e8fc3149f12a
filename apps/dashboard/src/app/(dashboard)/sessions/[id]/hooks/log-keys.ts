/**
 * The terminal's line numbers from the keyboard. They are not Tab stops (a
 * long log would be hundreds); the log is, and from it or a line number ↓ and
 * ↑ move to the next or previous drawn number. Enter or Space on a number
 * selects its line; Shift+↓/↑ moves and extends the selection (a shift-click,
 * as with the mouse). Returns whether it handled the key.
 */
export function moveInLog(e: KeyboardEvent): boolean {
  if (e.key !== "ArrowDown" && e.key !== "ArrowUp") return false;
  if (e.ctrlKey || e.metaKey || e.altKey || !(e.target instanceof HTMLElement)) return false;
  const log = e.target.closest<HTMLElement>('[role="log"]');
  if (!log) return false;
  const numbers = [...log.querySelectorAll<HTMLButtonElement>('[data-slot="term-line"] > button')];
  if (!numbers.length) return false;
  const down = e.key === "ArrowDown";
  let next: HTMLButtonElement | undefined;
  const at = numbers.indexOf(e.target as HTMLButtonElement);
  if (at >= 0) next = numbers[at + (down ? 1 : -1)];
  else {
    // From the log itself: the first number in view (the last, going up).
    const { top, bottom } = log.getBoundingClientRect();
    const inView = numbers.filter((b) => {
      const r = b.getBoundingClientRect();
      return r.top >= top && r.bottom <= bottom;
    });
    next = down ? inView[0] : inView.at(-1);
  }
  // Past the drawn rows: the log scrolls as it would, and draws the next ones.
  if (!next) return false;
  e.preventDefault();
  next.focus();
  if (e.shiftKey) next.dispatchEvent(new MouseEvent("click", { bubbles: true, shiftKey: true }));
  return true;
}
