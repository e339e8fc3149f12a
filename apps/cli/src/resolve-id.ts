import { Uuid, type ApiClient } from "@industrial/contracts";
import { CliError, UsageError } from "./cli-error";
import { ExitCode } from "./exit-codes";

/** How many list pages a prefix lookup scans (newest first) before giving up: 10 × 200 sessions. */
const MAX_PAGES = 10;
const PREFIX = /^[0-9a-f]{4,32}$/;

/**
 * Turns what the person typed into a session id. A full UUID is used as-is
 * (the server answers 404 if it does not exist). A hex prefix of 4+ digits,
 * as `ls` shows them, is looked up through the list API — the CLI's only
 * door to the data — newest sessions first.
 */
export async function resolveSessionId(client: ApiClient, raw: string): Promise<string> {
  const given = raw.trim().toLowerCase();
  if (Uuid.safeParse(given).success) return given;
  const prefix = given.replace(/-/g, "");
  if (!PREFIX.test(prefix))
    throw new UsageError(`invalid <id> ${JSON.stringify(raw)}: must be a session UUID or the first 4+ hex digits of one`, {
      details: [{ path: "<id>", reason: "must be a UUID or a hex id prefix" }],
      suggestion: "`orchestrator ls` shows the ids",
    });
  const matches: string[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const res = await client.call("listSessions", { query: { limit: 200, ...(cursor ? { cursor } : {}) } });
    for (const s of res.items) if (s.id.replace(/-/g, "").startsWith(prefix)) matches.push(s.id);
    if (!res.nextCursor) break;
    cursor = res.nextCursor;
  }
  if (matches.length === 1 && matches[0]) return matches[0];
  if (matches.length === 0)
    throw new CliError(`no session id starts with ${prefix}`, ExitCode.NOT_FOUND, { suggestion: "list sessions with `orchestrator ls`, or give the full id" });
  throw new UsageError(`id prefix ${prefix} is ambiguous: it matches ${matches.length} sessions`, {
    details: matches.slice(0, 5).map((id) => ({ path: "<id>", reason: `could be ${id}` })),
    suggestion: "give more digits, or the full id",
  });
}
