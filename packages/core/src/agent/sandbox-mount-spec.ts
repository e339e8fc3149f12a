import { SANDBOX_MOUNT_MODES, type SandboxMount, type SandboxMountMode } from "./agent-sandbox";

/**
 * The one written form of a mount, `path[:ro|:rw]`, shared by the CLI's
 * `--mount` and the dashboard's one-mount-per-line field so both read and
 * show the same syntax. Only the syntax is checked here: the path's rules are
 * the API's (checkSandboxMounts), so its messages reach the person unchanged.
 */

/** Without a mode a mount is read-only: writing to a host path should be asked for. */
export const DEFAULT_MOUNT_MODE: SandboxMountMode = "ro";

const MOUNT_SPEC_SYNTAX = "expected path, path:ro or path:rw (e.g. /srv/cache:ro)";

/**
 * `/srv/cache:rw` → {path: /srv/cache, mode: rw}; `/srv/cache` → mode ro.
 * The mode follows the last `:`, so a path may hold `:` (`/a:b/c:ro`); a
 * last part with no `/` that is not a mode is refused rather than taken as
 * part of the path, so a typo (`/srv/cache:wr`) never mounts a path nobody
 * meant. Surrounding blanks are ignored. The reason names the value.
 */
export function parseMountSpec(raw: string): { ok: true; mount: SandboxMount } | { ok: false; reason: string } {
  const text = raw.trim();
  const fail = (why: string) => ({ ok: false as const, reason: `${JSON.stringify(raw)}: ${why}` });
  if (!text) return fail(MOUNT_SPEC_SYNTAX);
  const colon = text.lastIndexOf(":");
  const tail = colon < 0 ? null : text.slice(colon + 1);
  if (tail === null || tail.includes("/")) return { ok: true, mount: { path: text, mode: DEFAULT_MOUNT_MODE } };
  if (!(SANDBOX_MOUNT_MODES as readonly string[]).includes(tail))
    return fail(`the mode after the last : must be ${SANDBOX_MOUNT_MODES.join(" or ")}`);
  const path = text.slice(0, colon).trim();
  if (!path) return fail(MOUNT_SPEC_SYNTAX);
  return { ok: true, mount: { path, mode: tail as SandboxMountMode } };
}

/** The form parseMountSpec reads back: `/srv/cache:ro`. */
export function formatMountSpec(m: SandboxMount): string {
  return `${m.path}:${m.mode}`;
}
