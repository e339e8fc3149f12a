import { Uuid, type ApiClient } from "@industrial/contracts";
import type { InboxItem } from "@industrial/core";
import { keyPrefixOf } from "./access-options";
import { CliError, UsageError } from "./cli-error";
import { ExitCode } from "./exit-codes";

/** How many list pages a lookup scans (in the list's order) before giving up: 10 × 200 rows. */
const MAX_PAGES = 10;
const PAGE_SIZE = 200;
const PREFIX = /^[0-9a-f]{4,32}$/;

interface Identified {
  id: string;
}

/**
 * What `resolveId` needs to know about one kind of thing: how to page
 * through its list, and how to talk about it in errors.
 */
export interface IdLookup<T extends Identified> {
  /** `session`, `agent`: the word used in messages. */
  noun: string;
  /** The command that lists them, for suggestions (`orchestrator ls`). */
  listCommand: string;
  /** One page of the list API: `limit` rows from `cursor`. */
  page(cursor: string | undefined, limit: number): Promise<{ items: T[]; nextCursor: string | null }>;
  /** Things that also have a unique name (agents) can be given by it; an exact name wins over an id prefix. */
  name?(item: T): string;
}

/**
 * Turns what the person typed into an id. A full UUID is used as-is (the
 * server answers 404 if it does not exist). Anything else is looked up
 * through the list API — the CLI's only door to the data — as an exact name
 * (when the kind has names) or a hex prefix of 4+ digits, as `ls` shows ids.
 */
export async function resolveId<T extends Identified>(lookup: IdLookup<T>, raw: string): Promise<string> {
  const given = raw.trim();
  const lower = given.toLowerCase();
  if (Uuid.safeParse(lower).success) return lower;
  const prefix = lower.replace(/-/g, "");
  const byPrefix = PREFIX.test(prefix);
  const { noun } = lookup;
  if (!byPrefix && !lookup.name)
    throw new UsageError(
      `invalid <id> ${JSON.stringify(raw)}: must be ${/^[aeiou]/.test(noun) ? "an" : "a"} ${noun} UUID or the first 4+ hex digits of one`,
      {
        details: [{ path: "<id>", reason: "must be a UUID or a hex id prefix" }],
        suggestion: `\`${lookup.listCommand}\` shows the ids`,
      },
    );

  const matches: string[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const res = await lookup.page(cursor, PAGE_SIZE);
    // Names are unique among live rows: an exact one settles it.
    const named = lookup.name ? res.items.find((x) => lookup.name?.(x) === given) : undefined;
    if (named) return named.id;
    if (byPrefix) for (const x of res.items) if (x.id.replace(/-/g, "").startsWith(prefix)) matches.push(x.id);
    if (!res.nextCursor) break;
    cursor = res.nextCursor;
  }
  if (matches.length === 1 && matches[0]) return matches[0];
  if (matches.length === 0) {
    const what = lookup.name
      ? byPrefix
        ? `no ${noun} is named ${given} or has an id starting with ${prefix}`
        : `no ${noun} is named ${given}`
      : `no ${noun} id starts with ${prefix}`;
    throw new CliError(what, ExitCode.NOT_FOUND, {
      suggestion: `list ${noun}s with \`${lookup.listCommand}\`, or give the full id`,
    });
  }
  throw new UsageError(`id prefix ${prefix} is ambiguous: it matches ${matches.length} ${noun}s`, {
    details: matches.slice(0, 5).map((id) => ({ path: "<id>", reason: `could be ${id}` })),
    suggestion: "give more digits, or the full id",
  });
}

/** A session: full UUID or id prefix, newest sessions first. */
export function resolveSessionId(client: ApiClient, raw: string): Promise<string> {
  return resolveId(
    {
      noun: "session",
      listCommand: "orchestrator ls",
      page: (cursor, limit) => client.call("listSessions", { query: { limit, ...(cursor ? { cursor } : {}) } }),
    },
    raw,
  );
}

/** An agent: full UUID, exact name, or id prefix. */
export function resolveAgentId(client: ApiClient, raw: string): Promise<string> {
  return resolveId(
    {
      noun: "agent",
      listCommand: "orchestrator agents ls",
      page: (cursor, limit) => client.call("listAgents", { query: { limit, ...(cursor ? { cursor } : {}) } }),
      name: (a) => a.name,
    },
    raw,
  );
}

/** Rethrows a lookup's error naming the option the id was given to (`--parent`, `--user`). */
function relabel(e: unknown, label: string): never {
  if (!(e instanceof CliError)) throw e;
  const message = e.message.startsWith("invalid <id>") ? e.message.replace("<id>", label) : `${label}: ${e.message}`;
  throw new CliError(message, e.exitCode, {
    details: e.details.map((d) => ({ ...d, path: label })),
    ...(e.suggestion ? { suggestion: e.suggestion } : {}),
  });
}

/**
 * A task: full UUID or id prefix, newest tasks first. `label` names where
 * the id was given (`--parent`, `--depends-on`) so a bad one says which.
 */
export async function resolveTaskId(client: ApiClient, raw: string, label = "<task>"): Promise<string> {
  try {
    return await resolveId(
      {
        noun: "task",
        listCommand: "orchestrator tasks ls --all",
        page: (cursor, limit) => client.call("listTasks", { query: { limit, ...(cursor ? { cursor } : {}) } }),
      },
      raw,
    );
  } catch (e) {
    if (label === "<task>") throw e;
    return relabel(e, label);
  }
}

/** A user: full UUID, exact email, or id prefix (oldest first, as the list API gives them). */
export async function resolveUserId(client: ApiClient, raw: string, label?: string): Promise<string> {
  try {
    return await resolveId(
      {
        noun: "user",
        listCommand: "orchestrator users ls",
        page: (cursor, limit) => client.call("listUsers", { query: { limit, ...(cursor ? { cursor } : {}) } }),
        name: (u) => u.email,
      },
      raw,
    );
  } catch (e) {
    if (label === undefined) throw e;
    return relabel(e, label);
  }
}

/**
 * An API key: full UUID, its public prefix (as `keys ls` shows it, with or
 * without `io_`), or id prefix. Revoked and expired keys are looked at too,
 * so naming one gets its state rather than "no such key".
 */
export function resolveApiKeyId(client: ApiClient, raw: string): Promise<string> {
  return resolveId(
    {
      noun: "API key",
      listCommand: "orchestrator keys ls --all",
      page: (cursor, limit) =>
        client.call("listApiKeys", { query: { limit, all: "true", ...(cursor ? { cursor } : {}) } }),
      name: (k) => k.prefix,
    },
    keyPrefixOf(raw),
  );
}

/**
 * An open input request: full UUID or id prefix (as `inbox` shows ids),
 * oldest first, with its inbox item when it is still open (null when the
 * inbox no longer holds it: the server then says whether it was answered).
 */
export async function resolveInputRequest(
  client: ApiClient,
  raw: string,
): Promise<{ id: string; item: InboxItem | null }> {
  const seen = new Map<string, InboxItem>();
  const page = async (cursor: string | undefined, limit: number) => {
    const res = await client.call("listInbox", { query: { limit, ...(cursor ? { cursor } : {}) } });
    for (const x of res.items) seen.set(x.id, x);
    return res;
  };
  const id = await resolveId({ noun: "input request", listCommand: "orchestrator inbox", page }, raw);
  if (seen.has(id)) return { id, item: seen.get(id)! };
  // A full id skips the listing; look for it so `answer` knows the questions.
  for (let cursor: string | undefined, n = 0; n < MAX_PAGES; n++) {
    const res = await page(cursor, PAGE_SIZE);
    if (seen.has(id) || !res.nextCursor) break;
    cursor = res.nextCursor;
  }
  return { id, item: seen.get(id) ?? null };
}
