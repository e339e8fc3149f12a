import { parseHttpUrl } from "../http-url";

/**
 * A remote runner named in configuration (`ORCHESTRATOR_REMOTE_RUNNERS`) may
 * carry its password in the URL, as `http://opencode:<password>@host:4096`:
 * OpenCode's basic auth has one user, `opencode`. The URL the orchestrator
 * stores and shows never has it; the password is kept sealed like one given
 * through the API.
 */
export type RemoteRunnerEntry = { ok: true; url: string; password: string | null } | { ok: false; reason: string };

/** The basic-auth user OpenCode's server expects. */
export const OPENCODE_AUTH_USER = "opencode";

export function parseRemoteRunnerUrl(text: string): RemoteRunnerEntry {
  const parsed = parseHttpUrl(text);
  if (!parsed.ok) return parsed;
  const { url } = parsed;
  if (url.search || url.hash) return { ok: false, reason: "must have no query or fragment" };
  let user: string;
  let password: string | null;
  try {
    user = decodeURIComponent(url.username);
    password = url.password === "" ? null : decodeURIComponent(url.password);
  } catch {
    return { ok: false, reason: "has a malformed %-escape in its user or password" };
  }
  if (user !== "" && user !== OPENCODE_AUTH_USER)
    return { ok: false, reason: `names user "${user}": OpenCode's server has one user, ${OPENCODE_AUTH_USER}` };
  // The chart writes `opencode:$(its Secret's password)@`: an empty one is a Secret not filled in yet.
  if (user !== "" && password === null)
    return {
      ok: false,
      reason: "names a user with no password (a runner pod's Secret not filled in? its OPENCODE_SERVER_PASSWORD)",
    };
  url.username = "";
  url.password = "";
  return { ok: true, url: url.toString().replace(/\/+$/, ""), password };
}
