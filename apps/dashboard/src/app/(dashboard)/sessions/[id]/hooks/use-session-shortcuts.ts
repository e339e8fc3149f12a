"use client";

import { useEffect, useRef } from "react";
import {
  isTypingTarget,
  planShortcut,
  shortcutOf,
  type ShortcutPlan,
  type ShortcutSession,
} from "@/lib/session-shortcuts";
import { moveInLog } from "./log-keys";

export interface SessionShortcutHandlers {
  session: ShortcutSession;
  mayControl: boolean;
  /** Pause or resume now. */
  onControl: (c: "pause" | "resume") => void;
  /** Stop: opens its confirmation. */
  onStop: () => void;
  onHelp: () => void;
  /** A refused pause, resume or stop, with its reason. */
  onRefused: (message: string) => void;
}

/**
 * The session page's shortcuts (lib/session-shortcuts.ts) on the document's
 * keydown. Follow and search act on the terminal's own controls, found by
 * their `data-shortcut` (the toolbar's Follow button and search field);
 * ↓/↑ in the log move between its line numbers (log-keys.ts).
 */
export function useSessionShortcuts(handlers: SessionShortcutHandlers): void {
  const latest = useRef(handlers);
  useEffect(() => {
    latest.current = handlers;
  });
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || moveInLog(e) || e.repeat) return;
      const target = e.target instanceof HTMLElement ? e.target : null;
      const action = shortcutOf({
        key: e.key,
        ctrlKey: e.ctrlKey,
        metaKey: e.metaKey,
        altKey: e.altKey,
        typing: isTypingTarget(target),
        inDialog: document.querySelector("dialog[open]") !== null,
      });
      if (!action) return;
      e.preventDefault();
      const h = latest.current;
      run(planShortcut(action, h.session, h.mayControl), h);
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, []);
}

function run(plan: ShortcutPlan, h: SessionShortcutHandlers) {
  switch (plan.kind) {
    case "control":
      return plan.control === "stop" ? h.onStop() : h.onControl(plan.control);
    case "refused":
      return h.onRefused(plan.message);
    case "follow":
      return document.querySelector<HTMLElement>('[data-shortcut="follow"]')?.click();
    case "search":
      return document.querySelector<HTMLElement>('[data-shortcut="search"]')?.focus();
    case "help":
      return h.onHelp();
  }
}
