import { SESSION_STATUSES } from "@industrial/core";
import { describe, expect, it } from "vitest";
import {
  isTypingTarget,
  planShortcut,
  SESSION_SHORTCUTS,
  shortcutOf,
  type ShortcutKeyEvent,
} from "./session-shortcuts";
import { allowedControls } from "./status";

const key = (k: string, over: Partial<ShortcutKeyEvent> = {}): ShortcutKeyEvent => ({
  key: k,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  typing: false,
  inDialog: false,
  ...over,
});

describe("shortcutOf", () => {
  it("maps every key to its action", () => {
    expect(shortcutOf(key("p"))).toBe("pause-resume");
    expect(shortcutOf(key("s"))).toBe("stop");
    expect(shortcutOf(key("f"))).toBe("follow");
    expect(shortcutOf(key("/"))).toBe("search");
    expect(shortcutOf(key("?"))).toBe("help");
    expect(SESSION_SHORTCUTS.map((s) => s.key)).toEqual(["p", "s", "f", "/", "?"]);
  });

  it("ignores other keys, and upper case (Shift+P is not p)", () => {
    for (const k of ["P", "S", "F", "x", "Enter", "Escape", " ", "Tab"]) expect(shortcutOf(key(k))).toBeNull();
  });

  it("ignores every key while typing, inside a dialog, or with Ctrl, Meta or Alt held", () => {
    for (const { key: k } of SESSION_SHORTCUTS) {
      expect(shortcutOf(key(k, { typing: true }))).toBeNull();
      expect(shortcutOf(key(k, { inDialog: true }))).toBeNull();
      expect(shortcutOf(key(k, { ctrlKey: true }))).toBeNull();
      expect(shortcutOf(key(k, { metaKey: true }))).toBeNull();
      expect(shortcutOf(key(k, { altKey: true }))).toBeNull();
    }
  });
});

describe("isTypingTarget", () => {
  it("is true for text fields, selects and contenteditable, false for the rest", () => {
    expect(isTypingTarget({ tagName: "INPUT" })).toBe(true);
    expect(isTypingTarget({ tagName: "textarea" })).toBe(true);
    expect(isTypingTarget({ tagName: "SELECT" })).toBe(true);
    expect(isTypingTarget({ tagName: "DIV", isContentEditable: true })).toBe(true);
    expect(isTypingTarget({ tagName: "BUTTON" })).toBe(false);
    expect(isTypingTarget({ tagName: "BODY", isContentEditable: false })).toBe(false);
    expect(isTypingTarget(null)).toBe(false);
  });
});

describe("planShortcut", () => {
  it("follow, search and help do not depend on the session", () => {
    const s = { status: "completed", requestedAction: null } as const;
    for (const a of ["follow", "search", "help"] as const) expect(planShortcut(a, s, false)).toEqual({ kind: a });
  });

  it("p pauses an active session and resumes a paused one; s stops: exactly where the buttons are shown", () => {
    for (const status of SESSION_STATUSES) {
      const buttons = allowedControls(status);
      const p = planShortcut("pause-resume", { status, requestedAction: null }, true);
      if (buttons.includes("pause")) expect(p).toEqual({ kind: "control", control: "pause" });
      else if (buttons.includes("resume")) expect(p).toEqual({ kind: "control", control: "resume" });
      else expect(p.kind).toBe("refused");
      const s = planShortcut("stop", { status, requestedAction: null }, true);
      expect(s.kind === "control").toBe(buttons.includes("stop"));
    }
  });

  it("says why it refuses", () => {
    expect(planShortcut("pause-resume", { status: "completed", requestedAction: null }, true)).toEqual({
      kind: "refused",
      message: "Pause is not possible: cannot move session from completed to paused",
    });
    expect(planShortcut("stop", { status: "running", requestedAction: null }, false)).toEqual({
      kind: "refused",
      message: "Stop: you may not control this session",
    });
  });

  it("refuses pause and resume while a request waits, but a stop still goes through", () => {
    const waiting = { status: "running", requestedAction: "pause" } as const;
    expect(planShortcut("pause-resume", waiting, true)).toEqual({
      kind: "refused",
      message: "Pause: a pause is already requested",
    });
    expect(planShortcut("stop", waiting, true)).toEqual({ kind: "control", control: "stop" });
  });
});
