import { createHash } from "node:crypto";

/**
 * Repositories by URL (README, "Repositories by URL"; docs/security.md,
 * "Workspace roots"). A session's or a task tree's `repository` is a local
 * path (as before) or a git URL, which each replica keeps a bare mirror of
 * under its data dir. Pure rules only: what is accepted, the normalised form
 * that prefixes are compared on and mirrors are named by, which tenant may
 * use which URL, and where a session's checkpoints are pushed.
 */

export const REPOSITORY_SCHEMES = ["file", "git", "http", "https", "ssh"] as const;
export type RepositoryScheme = (typeof REPOSITORY_SCHEMES)[number];

/** Where a session's checkpoints go: the URL repository itself, or ORCHESTRATOR_WORK_REMOTE. */
export const PUSH_TARGETS = ["origin", "work"] as const;
export type PushTarget = (typeof PUSH_TARGETS)[number];

export interface RepositoryUrl {
  /** What git is given: the URL as written, its scheme lower-cased. */
  url: string;
  scheme: RepositoryScheme;
  /** The SSH login (`git` of `git@host:path`); null when none. http(s) and git:// never have one. */
  user: string | null;
  /** Lower-cased; `[…]` for an IPv6 literal; "" for file://. */
  host: string;
  /** Null when absent or the scheme's default (22, 80, 443, 9418). */
  port: number | null;
  /** Absolute, percent-decoded; a home-relative SSH path starts with `/~`. */
  path: string;
  /**
   * `scheme://[user@]host[:port]/path`: scheme and host lower-cased, the
   * default port dropped, the path decoded, `user@host:path` written as
   * `ssh://user@host/~/path`. Prefixes are compared on it and mirrors named after it.
   */
  normalized: string;
}

export type RepositoryLocation = { kind: "path"; path: string } | { kind: "url"; url: RepositoryUrl };
export type RepositoryParse = { ok: true; location: RepositoryLocation } | { ok: false; reason: string };
type UrlParse = { ok: true; url: RepositoryUrl } | { ok: false; reason: string };

const DEFAULT_PORTS: Record<RepositoryScheme, number | null> = { file: null, git: 9418, http: 80, https: 443, ssh: 22 };
const HOST = /^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*|\[[0-9a-f:.]+\])$/;
const SSH_USER = /^[A-Za-z0-9._~-]+$/;
const FORMS = "a git URL (file://, git://, http(s)://, ssh://, user@host:path) or an absolute path";

/**
 * A repository as a request names it: an absolute path, or a git URL whose
 * credentials, if any, come from the operator's git setup — a URL that
 * carries a password or a token is refused, as are git's remote helpers
 * (`ext::…` runs a command), query strings, and `.`/`..` path segments
 * (encoded ones too): what a prefix admits is what git fetches.
 */
export function parseRepositoryLocation(value: string): RepositoryParse {
  if (value.length > 4096) return { ok: false, reason: "must be at most 4096 characters" };
  // A path is taken as before (spaces and all); the workspace roots judge it.
  if (value.startsWith("/"))
    return value.includes("\0")
      ? { ok: false, reason: "must not contain a NUL byte" }
      : { ok: true, location: { kind: "path", path: value } };
  // eslint-disable-next-line no-control-regex
  if (value === "" || /[\s\u0000-\u001f\u007f\\]/.test(value))
    return { ok: false, reason: `must be ${FORMS}, without spaces, backslashes or control characters` };
  if (value.startsWith("-")) return { ok: false, reason: "must not start with '-'" };
  if (/^[A-Za-z][A-Za-z0-9+.-]*::/.test(value))
    return { ok: false, reason: "git remote helpers (transport::address) are not accepted" };
  const url = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(value) ? parseSchemeUrl(value) : parseScpLike(value);
  return url.ok ? { ok: true, location: { kind: "url", url: url.url } } : url;
}

function parseSchemeUrl(value: string): UrlParse {
  const sep = value.indexOf("://");
  const scheme = value.slice(0, sep).toLowerCase();
  if (!(REPOSITORY_SCHEMES as readonly string[]).includes(scheme))
    return { ok: false, reason: `scheme ${value.slice(0, sep)}:// is not accepted (file, git, http, https, ssh)` };
  const s = scheme as RepositoryScheme;
  if (/[?#]/.test(value))
    return {
      ok: false,
      reason: "query strings and fragments are not accepted (credentials belong in the operator's git setup)",
    };
  const rest = value.slice(sep + 3);
  const slash = rest.indexOf("/");
  const authority = slash < 0 ? rest : rest.slice(0, slash);
  const rawPath = slash < 0 ? "" : rest.slice(slash);
  const path = decodePath(rawPath);
  if (!path.ok) return path;
  const url = `${scheme}://${rest}`;
  if (s === "file") {
    if (authority !== "" || path.path === "")
      return { ok: false, reason: "a file:// URL names a local absolute path (file:///srv/repo.git)" };
    // The roots check the decoded path; git must be handed that same path, so escapes are refused rather than guessed at.
    if (rawPath.includes("%")) return { ok: false, reason: "a file:// URL must not hold percent escapes" };
    return done({ url, scheme: s, user: null, host: "", port: null, path: path.path });
  }
  const at = authority.lastIndexOf("@");
  const userinfo = at < 0 ? null : authority.slice(0, at);
  const hostPort = at < 0 ? authority : authority.slice(at + 1);
  if (userinfo !== null) {
    if (userinfo.includes("@")) return { ok: false, reason: "has more than one @ before its host" };
    if (userinfo.includes(":"))
      return {
        ok: false,
        reason:
          "carries a password: credentials come from the operator's git setup (credential helper, SSH agent, ORCHESTRATOR_GIT_SSH_KEY), never from a request",
      };
    if (s !== "ssh")
      return {
        ok: false,
        reason: `carries a user name or token: ${scheme}:// URLs are given without one (credentials come from the operator's git setup)`,
      };
    if (!SSH_USER.test(userinfo))
      return { ok: false, reason: "has an SSH user name with characters other than letters, digits and . _ ~ -" };
  }
  const hp = /^(\[[^\]]*\]|[^:]*)(?::(\d{1,5}))?$/.exec(hostPort);
  const host = hp?.[1]?.toLowerCase() ?? "";
  if (!hp || !HOST.test(host))
    return { ok: false, reason: `a ${scheme}:// URL needs a host name (letters, digits, dots and dashes, or [IPv6])` };
  const port = hp[2] === undefined ? null : Number(hp[2]);
  if (port !== null && (port < 1 || port > 65_535)) return { ok: false, reason: "has a port outside 1–65535" };
  if (path.path === "") return { ok: false, reason: `a ${scheme}:// URL needs a path to the repository` };
  return done({ url, scheme: s, user: userinfo, host, port: port === DEFAULT_PORTS[s] ? null : port, path: path.path });
}

// git's shorthand for SSH: [user@]host:path, recognised (as git does) by a colon before any slash.
function parseScpLike(value: string): UrlParse {
  const colon = value.indexOf(":");
  const slash = value.indexOf("/");
  if (colon <= 0 || (slash >= 0 && slash < colon)) return { ok: false, reason: `must be ${FORMS}` };
  const authority = value.slice(0, colon);
  const rawPath = value.slice(colon + 1);
  // user:secret@host:path — git would read "user" as the host; whatever it is, it carries a secret.
  if (!authority.includes("@") && /^[^/]*@/.test(rawPath))
    return {
      ok: false,
      reason: "carries a password: credentials come from the operator's git setup, never from a request",
    };
  const at = authority.lastIndexOf("@");
  const user = at < 0 ? null : authority.slice(0, at);
  const host = authority.slice(at + 1).toLowerCase();
  if (user !== null && !SSH_USER.test(user))
    return { ok: false, reason: "has an SSH user name with characters other than letters, digits and . _ ~ -" };
  if (!HOST.test(host))
    return { ok: false, reason: "user@host:path needs a host name (letters, digits, dots and dashes)" };
  if (rawPath === "" || rawPath.includes("%"))
    return {
      ok: false,
      reason: rawPath === "" ? "user@host:path needs a path" : "user@host:path must not hold percent escapes",
    };
  // A path without a leading slash is relative to the login's home, as `ssh://host/~/path` says it.
  const absolute = rawPath.startsWith("/") ? rawPath : rawPath.startsWith("~") ? `/${rawPath}` : `/~/${rawPath}`;
  const path = checkSegments(absolute);
  if (!path.ok) return path;
  return done({ url: value, scheme: "ssh", user, host, port: null, path: absolute });
}

type PathCheck = { ok: true; path: string } | { ok: false; reason: string };

function decodePath(raw: string): PathCheck {
  let decoded: string;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    return { ok: false, reason: "has a malformed percent escape" };
  }
  // An encoded slash or backslash would make one segment look like two (or the other way round) to someone.
  if (/%(2f|5c)/i.test(raw)) return { ok: false, reason: "must not encode / or \\ in its path" };
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(decoded))
    return { ok: false, reason: "must not hold control characters, encoded or not" };
  return decoded === "" ? { ok: true, path: "" } : checkSegments(decoded);
}

// `.`, `..` and empty segments (a trailing slash aside) are refused rather than resolved: a server may resolve them otherwise than we would.
function checkSegments(path: string): PathCheck {
  const segments = path.split("/").slice(1);
  for (const [i, segment] of segments.entries()) {
    if (segment === "." || segment === "..") return { ok: false, reason: "must not hold . or .. path segments" };
    if (segment === "" && i !== segments.length - 1)
      return { ok: false, reason: "must not hold empty path segments (//)" };
  }
  return { ok: true, path };
}

function done(u: Omit<RepositoryUrl, "normalized">): UrlParse {
  const authority =
    u.scheme === "file" ? "" : `${u.user ? `${u.user}@` : ""}${u.host}${u.port !== null ? `:${u.port}` : ""}`;
  return { ok: true, url: { ...u, normalized: `${u.scheme}://${authority}${u.path}` } };
}

/** True for a value that names a repository by URL rather than by path (whether or not it is a valid one). */
export function isRepositoryUrl(value: string): boolean {
  return !value.startsWith("/");
}

export type RepositoryPrefixParse = { ok: true; prefix: RepositoryUrl } | { ok: false; reason: string };

/**
 * An entry of a tenant's allowed repository prefixes: a network URL (not a
 * path, not file:// — those obey the workspace roots) naming at least a host.
 * `https://github.com/acme/` admits everything under acme; without the final
 * slash, `…/acme` admits that repository and what lies below it, never `acme-tools`.
 */
export function parseRepositoryPrefix(value: string): RepositoryPrefixParse {
  const withPath = /^[a-z][a-z0-9+.-]*:\/\/[^/]+$/i.test(value) ? `${value}/` : value;
  const parsed = parseRepositoryLocation(withPath);
  if (!parsed.ok) return parsed;
  if (parsed.location.kind === "path" || parsed.location.url.scheme === "file")
    return {
      ok: false,
      reason:
        "paths and file:// URLs obey the workspace roots (ORCHESTRATOR_WORKSPACE_ROOTS); prefixes are for network URLs",
    };
  return { ok: true, prefix: parsed.location.url };
}

/**
 * Whether `url` lies under `prefix`: the same scheme, user, host and port,
 * and a path that is the prefix's or below it segment-wise.
 */
export function isUnderRepositoryPrefix(url: RepositoryUrl, prefix: RepositoryUrl): boolean {
  if (url.scheme !== prefix.scheme || url.user !== prefix.user || url.host !== prefix.host || url.port !== prefix.port)
    return false;
  if (prefix.path.endsWith("/")) return url.path.startsWith(prefix.path);
  return url.path === prefix.path || url.path.startsWith(`${prefix.path}/`);
}

export type RepositoryAdmission =
  /** A path or a file:// URL: the workspace roots decide (`computeWorkspaceAdmission`). */
  | { kind: "workspace-roots"; path: string }
  /** A network URL the tenant may use; `prefix` is the entry that admitted it (null: the tenant allows any). */
  | { kind: "admitted"; prefix: string | null }
  | { kind: "refused"; reason: string };

/**
 * Which repositories a tenant may name. Paths and file:// URLs are the
 * workspace roots' business; a network URL must lie under one of the
 * tenant's `allowedPrefixes` (null: any; an empty list: none). An entry that
 * does not parse admits nothing.
 */
export function computeRepositoryAdmission(
  location: RepositoryLocation,
  allowedPrefixes: readonly string[] | null,
): RepositoryAdmission {
  if (location.kind === "path") return { kind: "workspace-roots", path: location.path };
  const { url } = location;
  if (url.scheme === "file") return { kind: "workspace-roots", path: url.path };
  if (allowedPrefixes === null) return { kind: "admitted", prefix: null };
  for (const entry of allowedPrefixes) {
    const p = parseRepositoryPrefix(entry);
    if (p.ok && isUnderRepositoryPrefix(url, p.prefix)) return { kind: "admitted", prefix: entry };
  }
  const allowed = allowedPrefixes.length
    ? allowedPrefixes.join(", ")
    : "none: a lead sets them with PATCH /tenants/{id} {allowedRepositoryPrefixes}";
  return { kind: "refused", reason: `is not under this tenant's allowed repository prefixes (allowed: ${allowed})` };
}

/**
 * The folder name of a URL's bare mirror under `<data dir>/mirrors/<tenant>/`:
 * a hash of its normalised form, so two spellings of one repository share a
 * mirror and nothing of the URL reaches the file system.
 */
export function computeMirrorName(url: RepositoryUrl): string {
  return `${createHash("sha256").update(url.normalized).digest("hex").slice(0, 32)}.git`;
}

/**
 * Where a session's checkpoints are pushed. A URL repository's own
 * (`origin`) unless the session asked for `work`; a path, a directory or a
 * scratch session always the work remote. `pushTo` is absent on sessions made
 * before it existed.
 */
export function computePushTarget(workspace: {
  repository: string | null;
  pushTo?: PushTarget | null;
}): { kind: "work" } | { kind: "origin"; url: string } {
  const { repository, pushTo } = workspace;
  if (repository === null || !isRepositoryUrl(repository) || pushTo === "work") return { kind: "work" };
  return { kind: "origin", url: repository };
}
