import { join, resolve } from "node:path";
import {
  DEFAULT_WORKTREE_GRACE_HOURS,
  parseNotifyWebhookUrl,
  parseRemoteRunnerUrl,
  parseWorkRemote,
} from "@industrial/core";
import { computeRunnerEnvProblems, type SessionFolderLayout } from "@industrial/opencode";
import { z } from "zod";
import { parseWorkspaceRoots } from "./config-workspace-roots";

const bool = z
  .enum(["1", "0", "true", "false", "yes", "no", ""])
  .optional()
  .transform((v) => v === "1" || v === "true" || v === "yes");
/** The entries of a comma-separated variable, trimmed, empty ones dropped; unset or empty: none. */
const commaSeparated = (v: string | undefined): string[] =>
  v
    ? v
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean)
    : [];
const int = (min: number, max: number, def: number) => z.coerce.number().int().min(min).max(max).default(def);
/** A background period in ms: 0 turns it off, else at least a second. */
const intervalOrOff = (def: number) =>
  z.coerce
    .number()
    .int()
    .min(0)
    .max(86_400_000)
    .refine((v) => v === 0 || v >= 1000, { error: "must be 0 (off) or at least 1000 ms" })
    .default(def);
const modelRef = z
  .string()
  .regex(/^[\w.-]+\/[\w.:@/-]+$/, { error: "must be provider/model, e.g. anthropic/claude-sonnet-4" });
/** Comma-separated names; one issue per entry the runner environment policy refuses, naming it. */
const runnerEnvList = z
  .string()
  .optional()
  .transform(commaSeparated)
  .superRefine((names, ctx) =>
    computeRunnerEnvProblems(names).forEach((message) => ctx.addIssue({ code: "custom", message })),
  );

/**
 * Every setting of the orchestrator, from the environment, parsed once at
 * start. Nothing else reads process.env. See the README's configuration table.
 */
const ConfigSchema = z.object({
  PORT: int(0, 65_535, 8000),
  HOST: z.string().min(1).default("127.0.0.1"),
  DATABASE_URL: z.string().url({ error: "must be a postgres:// URL" }).optional(),
  /** Set: session events and notices fan out to every replica through Redis pub/sub, and readiness checks it. */
  /** Channel prefix of this deployment's fan-out (deployments sharing a Redis need their own). */
  ORCHESTRATOR_REDIS_PREFIX: z
    .string()
    .regex(/^[\w.:-]{1,64}$/, { error: "1–64 of letters, digits, _ . : -" })
    .default("orchestrator"),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\/\S+$/, { error: "must be a redis:// or rediss:// URL" })
    .optional(),
  ORCHESTRATOR_DATA_DIR: z.string().min(1).default(".orchestrator"),
  /** Folders sessions and task trees may take files from (comma-separated; default: the folder the server started in). */
  ORCHESTRATOR_WORKSPACE_ROOTS: z.string().optional(),
  /** Where every checkpoint is pushed: a git URL or an absolute path of a bare repository (default: `<data dir>/work-remote.git`). */
  ORCHESTRATOR_WORK_REMOTE: z
    .string()
    .optional()
    .superRefine((v, ctx) => {
      const r = v === undefined ? null : parseWorkRemote(v);
      if (r && !r.ok) ctx.addIssue({ code: "custom", message: r.reason });
    }),
  /** A folder on a volume each tenant's runner pod mounts too: a tenant's session folders go in `<it>/<tenant>/`, self-contained (docs/workspaces.md, "Shared workspaces"). */
  ORCHESTRATOR_SHARED_WORKSPACES: z.string().min(1).optional(),
  /** A private key file for SSH work remotes (used alone, as `ssh -i <file> -o IdentitiesOnly=yes`); else the operator's SSH agent and config. */
  ORCHESTRATOR_GIT_SSH_KEY: z.string().min(1).optional(),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  /** `json`: one object per line; `pretty`: for a person. Default: pretty when stdout is a terminal, else json. */
  LOG_FORMAT: z.enum(["json", "pretty"]).optional(),
  ORCHESTRATOR_DEMO: bool,
  /** Demo mode: a file the scripted model appends one JSON line to per request (arrival, end, working directory), surviving the process. */
  ORCHESTRATOR_DEMO_REQUEST_LOG: z.string().min(1).optional(),
  /**
   * Demo mode: the scripted model this replica's runners use, running elsewhere (`http://host:port/v1`, e.g. one
   * model shared by a cluster of demo replicas, as a provider is); set, the replica starts none of its own.
   */
  ORCHESTRATOR_DEMO_MODEL_URL: z
    .url({
      protocol: /^https?$/,
      error: "must be an http(s) URL of an OpenAI-compatible API, e.g. http://127.0.0.1:4000/v1",
    })
    .transform((v) => v.replace(/\/+$/, ""))
    .optional(),
  ORCHESTRATOR_OPENCODE_BIN: z.string().min(1).optional(),
  ORCHESTRATOR_MANAGED_RUNNERS: int(0, 8, 1),
  /** RSS past which a managed runner that has served work is drained and replaced; 0: no limit. */
  ORCHESTRATOR_RUNNER_MAX_RSS_MB: int(0, 1_048_576, 1536),
  /** A managed runner that has held no session this long is stopped, never the last that takes work (the pool follows the load); 0: never. */
  ORCHESTRATOR_RUNNER_IDLE_SECONDS: int(0, 604_800, 600),
  /** How often runners are health-checked, their memory read, and the runner rows re-read. */
  ORCHESTRATOR_RUNNER_CHECK_INTERVAL_MS: int(50, 600_000, 10_000),
  /** OpenCode servers to use, comma-separated; each may carry its password (`http://opencode:<password>@host:4096`). */
  ORCHESTRATOR_REMOTE_RUNNERS: z
    .string()
    .optional()
    .transform((v, ctx) =>
      commaSeparated(v).flatMap((text, i) => {
        const entry = parseRemoteRunnerUrl(text);
        if (entry.ok) return [{ url: entry.url, password: entry.password }];
        // Said by position: the text may hold a password.
        ctx.addIssue({ code: "custom", message: `remote runner ${i + 1} ${entry.reason}` });
        return [];
      }),
    ),
  /** More variables managed runners inherit (names or PREFIX_* patterns: provider credentials); the orchestrator's own are refused. */
  ORCHESTRATOR_RUNNER_ENV: runnerEnvList,
  /**
   * The managed runners' agents' commands in bubblewrap (docs/sandbox.md): `auto` when it works here
   * (else unsandboxed only with ORCHESTRATOR_AUTH=off), `required` never without it, `off` never.
   */
  ORCHESTRATOR_SANDBOX: z.enum(["auto", "required", "off"]).default("auto"),
  /** The bubblewrap binary (a name on PATH or a path). */
  ORCHESTRATOR_SANDBOX_BWRAP: z.string().min(1).default("bwrap"),
  ORCHESTRATOR_DEFAULT_MODEL: modelRef.optional(),
  ORCHESTRATOR_DEFAULT_AGENT_CONCURRENCY: int(1, 50, 4),
  ORCHESTRATOR_MAX_CONCURRENT_ATTEMPTS: int(1, 500, 20),
  ORCHESTRATOR_PROVIDER_RETRIES: int(0, 10, 3),
  ORCHESTRATOR_CHECKPOINT_LAND_SECONDS: int(0, 600, 15),
  ORCHESTRATOR_REPLICA_ID: z
    .string()
    .regex(/^[\w.-]{1,64}$/)
    .optional(),
  ORCHESTRATOR_BODY_LIMIT_BYTES: int(1024, 64 * 1024 * 1024, 1024 * 1024),
  ORCHESTRATOR_SCHEDULER: z.enum(["on", "off"]).default("on"),
  /** `on`: serve the built dashboard on this port (every path that is not the API's); `off`: API only. */
  ORCHESTRATOR_DASHBOARD: z.enum(["on", "off"]).default("on"),
  /** The dashboard workspace to serve (its `.next` build); default: apps/dashboard of this checkout. */
  ORCHESTRATOR_DASHBOARD_DIR: z.string().min(1).optional(),
  ORCHESTRATOR_POLL_INTERVAL_MS: int(10, 10_000, 200),
  /** How often a running attempt renews its 30 s lease (well inside it: a renewal may fail and be retried). */
  ORCHESTRATOR_LEASE_RENEW_MS: int(100, 20_000, 10_000),
  /**
   * SIGTERM: how long the replica has to stop (the chart's terminationGracePeriodSeconds, minus a margin):
   * its running sessions checkpoint, push and hand their leases back within about 60 % of it; the process exits by then whatever is left.
   */
  ORCHESTRATOR_SHUTDOWN_GRACE_SECONDS: int(2, 3600, 25),
  /** First cooldown of an opened circuit breaker; it doubles on every reopening, up to 30 minutes. */
  ORCHESTRATOR_BREAKER_COOLDOWN_SECONDS: int(1, 1800, 60),
  /** WebSocket: protocol ping and `heartbeat` period; clients that miss two pongs are dropped. */
  ORCHESTRATOR_WS_PING_INTERVAL_MS: int(50, 600_000, 30_000),
  /** WebSocket: per-connection send buffer (bytes) past which a client is a SLOW_CONSUMER and closed. */
  ORCHESTRATOR_WS_BUFFER_LIMIT_BYTES: int(16 * 1024, 256 * 1024 * 1024, 4 * 1024 * 1024),
  /** WebSocket: `system.stats` period (and how often agent rooms are re-checked). */
  ORCHESTRATOR_WS_STATS_INTERVAL_MS: int(100, 600_000, 5_000),
  /** Retention rounds (expired events and audit entries, ended OpenCode sessions): their period; 0: none on this replica. */
  ORCHESTRATOR_RETENTION_INTERVAL_MS: intervalOrOff(600_000),
  /** How long after an attempt ends its OpenCode session stays in the managed runners' store. */
  ORCHESTRATOR_OPENCODE_SESSION_GRACE_HOURS: int(0, 8760, 24),
  /** How long after a session ends (or a copy of it is recreated) its folder stays before retention removes it (its checkpoints on its remote). */
  ORCHESTRATOR_WORKTREE_GRACE_HOURS: int(0, 8760, DEFAULT_WORKTREE_GRACE_HOURS),
  /** Warm slots per repository and tenant on this replica: folders reused from one session to the next so OpenCode's instance for them stays warm (docs/warm-slots.md); 0: every session a new folder. */
  ORCHESTRATOR_WARM_SLOTS: int(0, 64, 4),
  /** How often the data dir's size per part is measured (orchestrator_disk_bytes); 0: never. */
  ORCHESTRATOR_DISK_USAGE_INTERVAL_MS: intervalOrOff(300_000),
  /** How often this replica's mirrors of URL repositories are garbage-collected (compacted, or removed when unused); 0: never. */
  ORCHESTRATOR_MIRROR_GC_INTERVAL_MS: intervalOrOff(3_600_000),
  /** A mirror no session used for this many days, and from which no worktree is cut, is removed (cloned again when needed). */
  ORCHESTRATOR_MIRROR_RETENTION_DAYS: int(1, 36_500, 14),
  /** Where every tenant's notifications go unless the tenant set its own (README, "Notifications"): new input requests, sessions and tasks that finish, fail or time out. */
  ORCHESTRATOR_NOTIFY_WEBHOOK_URL: z
    .string()
    .optional()
    .superRefine((v, ctx) => {
      const r = v === undefined ? null : parseNotifyWebhookUrl(v);
      if (r && !r.ok) ctx.addIssue({ code: "custom", message: r.reason });
    }),
  /** Signs the bodies sent to ORCHESTRATOR_NOTIFY_WEBHOOK_URL (`x-orchestrator-signature: sha256=<HMAC>`); unset: unsigned. */
  ORCHESTRATOR_NOTIFY_WEBHOOK_SECRET: z
    .string()
    .min(16, { error: "must be at least 16 characters (e.g. `openssl rand -hex 32`)" })
    .max(512)
    .optional(),
  /** How long one POST to a notify webhook may take before it counts as a failed try (and is tried again later). */
  ORCHESTRATOR_NOTIFY_WEBHOOK_TIMEOUT_SECONDS: int(1, 300, 10),
  /** `off`: no API keys, every caller is the default tenant's admin (loopback HOST only; docs/security.md). */
  ORCHESTRATOR_AUTH: z.enum(["on", "off"]).default("on"),
  /** Keys key hashes, the session cookie and runner passwords; generated into the data dir when absent (PGlite only). */
  ORCHESTRATOR_SECRET: z
    .string()
    .min(32, { error: "must be at least 32 characters (e.g. `openssl rand -hex 32`)" })
    .max(1024)
    .optional(),
  /** The first admin key, set for automation (hashed like every key). */
  ORCHESTRATOR_ADMIN_KEY: z
    .string()
    .min(32, { error: "must be at least 32 characters" })
    .max(512)
    .regex(/^\S+$/, { error: "must not contain spaces" })
    .optional(),
  /** When set, /metrics needs `Authorization: Bearer <token>`. */
  ORCHESTRATOR_METRICS_TOKEN: z.string().min(16, { error: "must be at least 16 characters" }).max(512).optional(),
  /** Requests per second per key (token bucket; 0: no limit) and the bucket's size. */
  ORCHESTRATOR_RATE_LIMIT: z.coerce.number().min(0).max(1_000_000).default(20),
  ORCHESTRATOR_RATE_LIMIT_BURST: int(1, 1_000_000, 100),
  /** Origins (scheme://host[:port]) whose browsers may call the API; none by default. */
  ORCHESTRATOR_CORS_ORIGINS: z
    .string()
    .optional()
    .transform(commaSeparated)
    .pipe(
      z.array(
        z
          .string()
          .regex(/^https?:\/\/[^/\s?#]+$/, { error: "each origin must be scheme://host[:port], without a path" }),
      ),
    ),
  /**
   * Proxies whose X-Forwarded-For/-Proto are believed (the client's address for
   * keyless rate limits, https for the cookie): a number of hops (`1`: one
   * ingress) or comma-separated addresses/CIDRs. Unset: none, the peer is the client.
   */
  ORCHESTRATOR_TRUST_PROXY: z
    .string()
    .optional()
    .transform((v): number | string[] | false => (!v ? false : /^\d+$/.test(v) ? Number(v) : commaSeparated(v)))
    .pipe(
      z.union([
        z.literal(false),
        z.number().int().min(1).max(10),
        z.array(
          z.string().regex(/^[0-9a-fA-F.:]+(\/\d{1,3})?$/, { error: "each entry must be an IP address or CIDR" }),
        ),
      ]),
    ),
});

/** A listen address only this machine can reach. */
export function isLoopbackHost(host: string): boolean {
  return host === "localhost" || host === "::1" || host === "[::1]" || /^127(\.\d{1,3}){3}$/.test(host);
}

/** Rules across variables, each naming the variable to change. */
function crossFieldErrors(c: z.output<typeof ConfigSchema>): string[] {
  const errors: string[] = [];
  if (c.ORCHESTRATOR_AUTH === "off" && !isLoopbackHost(c.HOST))
    errors.push(
      `ORCHESTRATOR_AUTH: off is allowed only when HOST is a loopback address (HOST is ${c.HOST}); anyone who reaches the port could run commands`,
    );
  if (c.DATABASE_URL && !c.ORCHESTRATOR_SECRET)
    errors.push(
      "ORCHESTRATOR_SECRET: required with DATABASE_URL, so that every replica verifies the same keys (give the same value to each; e.g. `openssl rand -hex 32`)",
    );
  if (c.ORCHESTRATOR_NOTIFY_WEBHOOK_SECRET && !c.ORCHESTRATOR_NOTIFY_WEBHOOK_URL)
    errors.push(
      "ORCHESTRATOR_NOTIFY_WEBHOOK_SECRET: set without ORCHESTRATOR_NOTIFY_WEBHOOK_URL; give the URL it signs for, or unset it",
    );
  return errors;
}

export type Config = Readonly<
  Omit<
    z.output<typeof ConfigSchema>,
    "ORCHESTRATOR_DATA_DIR" | "ORCHESTRATOR_WORKSPACE_ROOTS" | "ORCHESTRATOR_WORK_REMOTE"
  > & {
    ORCHESTRATOR_DATA_DIR: string;
    ORCHESTRATOR_WORKSPACE_ROOTS: readonly string[];
    ORCHESTRATOR_WORK_REMOTE: string;
    /** True when ORCHESTRATOR_WORK_REMOTE was not set: the bare repository under the data dir (created at start). */
    workRemoteIsDefault: boolean;
    storage: "postgres" | "pglite";
  }
>;

export type ConfigResult = { ok: true; config: Config } | { ok: false; errors: string[] };

/** Parses the environment, reporting every problem at once (name and reason). */
export function parseConfig(env: Record<string, string | undefined>, cwd = process.cwd()): ConfigResult {
  const known = Object.fromEntries(
    Object.keys(ConfigSchema.shape).map((k) => [k, env[k] === "" && k !== "ORCHESTRATOR_DEMO" ? undefined : env[k]]),
  );
  const r = ConfigSchema.safeParse(known);
  const workspaceRoots = parseWorkspaceRoots(known.ORCHESTRATOR_WORKSPACE_ROOTS, cwd);
  if (!r.success)
    return {
      ok: false,
      errors: [...r.error.issues.map((i) => `${i.path.join(".") || "config"}: ${i.message}`), ...workspaceRoots.errors],
    };
  const c = r.data;
  const errors = [...crossFieldErrors(c), ...workspaceRoots.errors];
  if (errors.length) return { ok: false, errors };
  return {
    ok: true,
    config: Object.freeze({
      ...c,
      ORCHESTRATOR_DATA_DIR: resolve(cwd, c.ORCHESTRATOR_DATA_DIR),
      ORCHESTRATOR_WORKSPACE_ROOTS: Object.freeze(workspaceRoots.roots),
      ORCHESTRATOR_WORK_REMOTE:
        c.ORCHESTRATOR_WORK_REMOTE ?? join(resolve(cwd, c.ORCHESTRATOR_DATA_DIR), "work-remote.git"),
      workRemoteIsDefault: c.ORCHESTRATOR_WORK_REMOTE === undefined,
      ORCHESTRATOR_GIT_SSH_KEY:
        c.ORCHESTRATOR_GIT_SSH_KEY === undefined ? undefined : resolve(cwd, c.ORCHESTRATOR_GIT_SSH_KEY),
      ORCHESTRATOR_SHARED_WORKSPACES:
        c.ORCHESTRATOR_SHARED_WORKSPACES === undefined ? undefined : resolve(cwd, c.ORCHESTRATOR_SHARED_WORKSPACES),
      storage: c.DATABASE_URL ? "postgres" : "pglite",
    }),
  };
}

/** Where sessions' folders go (docs/workspaces.md, "Shared workspaces"). */
export function folderLayoutOf(config: Config): SessionFolderLayout {
  return { dataDir: config.ORCHESTRATOR_DATA_DIR, sharedWorkspaces: config.ORCHESTRATOR_SHARED_WORKSPACES ?? null };
}
