import { randomBytes } from "node:crypto";
import {
  chmodSync,
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
} from "node:fs";
import { dirname, isAbsolute, join } from "node:path";
import { z } from "zod";
import { CliError } from "./cli-error";
import { ExitCode } from "./exit-codes";

/**
 * The keys `orchestrator login` keeps, one per server URL, in
 * `$XDG_CONFIG_HOME/industrial-orchestrator/credentials` (else
 * `~/.config/…`). The file holds secrets, so it is created 0600 in a 0700
 * directory and always replaced whole by a rename: a crash or a full disk
 * leaves the old file or the new one, never half of either, and never a
 * moment where the key sits in a file others may read.
 */

const Entry = z.object({ url: z.string(), key: z.string().min(1), savedAt: z.string() });
export type StoredCredential = z.infer<typeof Entry>;
const FileSchema = z.object({ version: z.literal(1), credentials: z.array(Entry) });

export interface CredentialsFile {
  entries: StoredCredential[];
  /** The file's permission bits when others may read or write it (0o644…), else null: worth a warning. */
  looseMode: number | null;
}

/**
 * Where the file lives. A relative XDG_CONFIG_HOME is ignored, as the XDG
 * spec says, rather than resolved against whatever directory we run in.
 */
export function credentialsPath(env: Record<string, string | undefined>, home: string): string {
  const xdg = env.XDG_CONFIG_HOME;
  const base = xdg && isAbsolute(xdg) ? xdg : join(home, ".config");
  return join(base, "industrial-orchestrator", "credentials");
}

/**
 * The form a server URL is stored under, so `http://HOST:8000/` and
 * `http://host:8000` share one entry: scheme, host, port (default ones
 * dropped by URL) and the path without trailing slashes. An unparsable URL is
 * kept as given (the client refuses it before anything is sent).
 */
export function normalizeServerUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname.replace(/\/+$/, "")}`;
  } catch {
    return url;
  }
}

function corrupt(path: string, reason: string): CliError {
  return new CliError(`the credentials file ${path} cannot be read: ${reason}`, ExitCode.USAGE, {
    suggestion: `remove it (\`rm ${path}\`) and log in again with \`orchestrator login\``,
  });
}

/** The stored entries; a missing file is an empty one. */
export function readCredentials(path: string): CredentialsFile {
  let text: string;
  let mode: number;
  try {
    mode = statSync(path).mode & 0o777;
    text = readFileSync(path, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return { entries: [], looseMode: null };
    throw corrupt(path, (e as Error).message);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    // Never quote the content: it holds keys.
    throw corrupt(path, "it is not JSON");
  }
  const parsed = FileSchema.safeParse(json);
  if (!parsed.success) throw corrupt(path, "it is not a credentials file of this CLI");
  return { entries: parsed.data.credentials, looseMode: mode & 0o077 ? mode : null };
}

/** The key stored for `url`, if any. */
export function findCredential(entries: readonly StoredCredential[], url: string): StoredCredential | undefined {
  const wanted = normalizeServerUrl(url);
  return entries.find((e) => e.url === wanted);
}

/**
 * Writes `content` to `path` through a temporary file in the same directory
 * (a rename is atomic only within one file system), created 0600 and
 * exclusively (`wx`: never reusing a file someone else prepared), flushed to
 * disk before the rename. The directory is made 0700; an existing one of
 * ours is tightened to 0700 as well, since it holds nothing but secrets.
 */
export function writeFileAtomically(path: string, content: string): void {
  const dir = dirname(path);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  const tmp = join(dir, `.credentials.${process.pid}.${randomBytes(6).toString("hex")}.tmp`);
  const fd = openSync(tmp, "wx", 0o600);
  try {
    try {
      writeSync(fd, content);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } catch (e) {
    try {
      unlinkSync(tmp);
    } catch {
      // Already renamed or never written: nothing to clean.
    }
    throw e;
  }
  // Make the rename itself durable; some file systems refuse to open a directory for this.
  try {
    const dfd = openSync(dir, "r");
    try {
      fsyncSync(dfd);
    } finally {
      closeSync(dfd);
    }
  } catch {
    // Best effort.
  }
}

function writeEntries(path: string, entries: readonly StoredCredential[]): void {
  writeFileAtomically(path, `${JSON.stringify({ version: 1, credentials: entries }, null, 2)}\n`);
}

/** Stores `key` for `url`, replacing the entry of that server and keeping the others. */
export function saveCredential(path: string, input: { url: string; key: string }, now: Date): StoredCredential {
  const url = normalizeServerUrl(input.url);
  const entry = { url, key: input.key, savedAt: now.toISOString() };
  const others = readCredentials(path).entries.filter((e) => e.url !== url);
  writeEntries(path, [...others, entry]);
  return entry;
}

/** Forgets the key of `url`; false when none was stored (the file is then left alone). */
export function removeCredential(path: string, url: string): boolean {
  const wanted = normalizeServerUrl(url);
  const { entries } = readCredentials(path);
  const kept = entries.filter((e) => e.url !== wanted);
  if (kept.length === entries.length) return false;
  writeEntries(path, kept);
  return true;
}
