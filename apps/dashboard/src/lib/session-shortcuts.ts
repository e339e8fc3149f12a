import type { SessionAction } from "@industrial/core";
import { planSessionAction } from "@industrial/core/session-actions";
import type { SessionStatus } from "@industrial/core/session-status";

/**
 * The session page's keyboard shortcuts: `p` pause or resume, `s` stop,
 * `f` follow on/off, `/` the terminal's search, `?` the list of them.
 */
export type SessionShortcut = "pause-resume" | "stop" | "follow" | "search" | "help";

/** Each shortcut's key and what it does, in the order the help dialog lists them. */
export const SESSION_SHORTCUTS: readonly { key: string; action: SessionShortcut; label: string }[] = [
  { key: "p", action: "pause-resume", label: "Pause a running session, resume a paused one" },
  { key: "s", action: "stop", label: "Stop the session (asks first)" },
  { key: "f", action: "follow", label: "Follow the terminal's end, or stop following" },
  { key: "/", action: "search", label: "Search the terminal" },
  { key: "?", action: "help", label: "Show these shortcuts" },
];

/** What a keydown says about itself (a KeyboardEvent and its target, read by the page). */
export interface ShortcutKeyEvent {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  /** The event's target is a text field, a select or contenteditable: the key is typed, not a command. */
  typing: boolean;
  /** The event's target is inside an open dialog: the page behind it does not act. */
  inDialog: boolean;
}

/** The shortcut a key means, or null: nothing while typing, inside a dialog, or with Ctrl, Meta or Alt held. */
export function shortcutOf(e: ShortcutKeyEvent): SessionShortcut | null {
  if (e.typing || e.inDialog || e.ctrlKey || e.metaKey || e.altKey) return null;
  return SESSION_SHORTCUTS.find((s) => s.key === e.key)?.action ?? null;
}

/** Whether an element takes typed text (where a letter must stay a letter). */
export function isTypingTarget(el: { tagName: string; isContentEditable?: boolean } | null): boolean {
  if (!el) return false;
  return el.isContentEditable === true || ["INPUT", "TEXTAREA", "SELECT"].includes(el.tagName.toUpperCase());
}

export type ShortcutPlan =
  | { kind: "control"; control: "pause" | "resume" | "stop" }
  | { kind: "refused"; message: string }
  | { kind: "follow" }
  | { kind: "search" }
  | { kind: "help" };

export interface ShortcutSession {
  status: SessionStatus;
  requestedAction: SessionAction | null;
}

/**
 * What a shortcut does to this session now. Pause, resume and stop follow
 * core's `planSessionAction` (the server's rule) and the page's buttons:
 * refused for whoever may not control the session, or while another request
 * waits for the lease holder (stop excepted), with the reason to show.
 */
export function planShortcut(action: SessionShortcut, session: ShortcutSession, mayControl: boolean): ShortcutPlan {
  if (action !== "pause-resume" && action !== "stop") return { kind: action };
  const control = action === "stop" ? "stop" : session.status === "paused" ? "resume" : "pause";
  const name = control[0]!.toUpperCase() + control.slice(1);
  if (!mayControl) return { kind: "refused", message: `${name}: you may not control this session` };
  if (control !== "stop" && session.requestedAction !== null)
    return { kind: "refused", message: `${name}: a ${session.requestedAction} is already requested` };
  const plan = planSessionAction({ status: session.status, requestedAction: session.requestedAction, action: control });
  if (plan.kind === "refused") return { kind: "refused", message: `${name} is not possible: ${plan.message}` };
  return { kind: "control", control };
}
