/**
 * Which of the orchestrator's environment variables a managed runner (and so
 * every agent's `bash` tool) may inherit: an allow-list, never "everything
 * but". See docs/security.md, "Runner environment".
 *
 * Patterns are exact names or a name prefix ending in `*` (`LC_*`, `AWS_*`).
 */

/**
 * What any runner inherits when set: what a shell, git, node and OpenCode
 * need to run (PATH, HOME, the user, the shell, the terminal, a temp dir),
 * the locale, proxies and the TLS trust a proxy needs. None of them is a
 * credential of the orchestrator (a proxy URL may hold the proxy's own: the
 * agent needs that proxy as much as OpenCode does).
 */
export const RUNNER_BASE_ENV: readonly string[] = [
  "PATH",
  "HOME",
  "USER",
  "LOGNAME",
  "SHELL",
  "TERM",
  "TMPDIR",
  "LANG",
  "LANGUAGE",
  "LC_*",
  "TZ",
  "HTTP_PROXY",
  "HTTPS_PROXY",
  "NO_PROXY",
  "ALL_PROXY",
  "http_proxy",
  "https_proxy",
  "no_proxy",
  "all_proxy",
  "NODE_EXTRA_CA_CERTS",
  "SSL_CERT_FILE",
  "SSL_CERT_DIR",
];

/**
 * Inherited only by a runner that is not isolated: the person's own OpenCode
 * setup (providers and `opencode auth login` live under their XDG config and
 * data homes; OPENCODE_CONFIG and friends). An isolated runner gets XDG homes
 * of its own and no inherited OPENCODE_* at all.
 */
export const RUNNER_PERSONAL_ENV: readonly string[] = [
  "XDG_CONFIG_HOME",
  "XDG_DATA_HOME",
  "XDG_CACHE_HOME",
  "XDG_STATE_HOME",
  "XDG_RUNTIME_DIR",
  "OPENCODE_*",
];

/**
 * Set by the orchestrator itself, never inherited: every runner gets a
 * password of its own (runner-auth.ts) that our health checks and clients
 * must know, so one inherited from the person's shell would lock us out of
 * our own child; the config is ours.
 */
export const RUNNER_OWN_OPENCODE_ENV: readonly string[] = [
  "OPENCODE_SERVER_PASSWORD",
  "OPENCODE_SERVER_USERNAME",
  "OPENCODE_CONFIG_CONTENT",
];

/** The orchestrator's own settings and secrets besides ORCHESTRATOR_*: never passed to a runner, whatever the lists say. */
const ORCHESTRATOR_SECRETS = ["DATABASE_URL", "REDIS_URL"];
const ORCHESTRATOR_PREFIX = "ORCHESTRATOR_";

const PATTERN = /^[A-Za-z_][A-Za-z0-9_]*\*?$/;

/** Does `name` match an exact name or a `PREFIX*` pattern? */
export function matchesEnvPattern(name: string, pattern: string): boolean {
  return pattern.endsWith("*") ? name.startsWith(pattern.slice(0, -1)) : name === pattern;
}

/** ORCHESTRATOR_* (all of them), DATABASE_URL, REDIS_URL. */
export function isOrchestratorOwnEnv(name: string): boolean {
  return name.startsWith(ORCHESTRATOR_PREFIX) || ORCHESTRATOR_SECRETS.includes(name);
}

/**
 * Problems of the operator's list of extra variables (ORCHESTRATOR_RUNNER_ENV),
 * one sentence each naming the entry; [] when it is fine. Refused: what is
 * not a name or `PREFIX_*`, the orchestrator's own variables, a pattern that
 * would cover one of them (`DATABASE_*`, `R*`), and the OpenCode variables
 * the orchestrator sets itself.
 */
export function computeRunnerEnvProblems(patterns: readonly string[]): string[] {
  return patterns.map(refusalOf).filter((p): p is string => p !== null);
}

function refusalOf(pattern: string): string | null {
  if (!PATTERN.test(pattern)) return `"${pattern}" is neither a variable name nor a PREFIX_* pattern`;
  const prefix = pattern.endsWith("*") ? pattern.slice(0, -1) : null;
  if (prefix === null) {
    if (pattern.startsWith(ORCHESTRATOR_PREFIX))
      return `${pattern}: the orchestrator's own variables (ORCHESTRATOR_*) never reach an agent`;
    if (ORCHESTRATOR_SECRETS.includes(pattern))
      return `${pattern} is the orchestrator's own secret and never reaches an agent`;
    if (RUNNER_OWN_OPENCODE_ENV.includes(pattern))
      return `${pattern} is set by the orchestrator for its runners and cannot be passed through`;
    return null;
  }
  if (ORCHESTRATOR_PREFIX.startsWith(prefix) || prefix.startsWith(ORCHESTRATOR_PREFIX))
    return `${pattern} would cover the orchestrator's own variables (ORCHESTRATOR_*), which never reach an agent`;
  const secret = ORCHESTRATOR_SECRETS.find((name) => name.startsWith(prefix));
  return secret
    ? `${pattern} would cover ${secret}, the orchestrator's own secret, which never reaches an agent`
    : null;
}

export interface RunnerEnvPolicy {
  /** Isolated runners (tests, demo) inherit none of the person's OpenCode setup. */
  isolate: boolean;
  /** The operator's extra names and patterns (provider credentials), already checked by computeRunnerEnvProblems. */
  inherit: readonly string[];
}

/** May the runner inherit `name` from the orchestrator's environment? */
export function isRunnerEnvAllowed(name: string, policy: RunnerEnvPolicy): boolean {
  // Refused first, whatever the lists say: the lists only ever add.
  if (isOrchestratorOwnEnv(name) || RUNNER_OWN_OPENCODE_ENV.includes(name)) return false;
  if (policy.isolate && name.startsWith("OPENCODE_")) return false;
  const allowed = [...RUNNER_BASE_ENV, ...(policy.isolate ? [] : RUNNER_PERSONAL_ENV), ...policy.inherit];
  return allowed.some((pattern) => matchesEnvPattern(name, pattern));
}
