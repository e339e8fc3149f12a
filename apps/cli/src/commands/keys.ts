import type { ApiKeyView } from "@industrial/contracts";
import { ROLES } from "@industrial/core";
import type { Command } from "commander";
import { z } from "zod";
import { timeOption } from "../access-options";
import type { CliContext } from "../context";
import { formatApiKeyCreated, formatApiKeyTable, formatKeyPrefix, formatKeyShownOnceWarning } from "../format/access";
import type { ErrorHints } from "../handle-error";
import { enumOption, parseOptions } from "../options";
import { resolveApiKeyId, resolveUserId } from "../resolve-id";
import { action, argument } from "../run-command";

const KEY_HINTS: ErrorHints = {
  notFound: "list keys with `orchestrator keys ls --all` and check the id or prefix",
  conflict: "check the key with `orchestrator keys ls --all`",
};

const CreateOptions = (now: Date) =>
  z.object({
    name: z.string().trim().min(1, { error: "must not be empty" }).max(200),
    role: enumOption(ROLES),
    user: z.string().optional(),
    expires: timeOption(now, "after", { future: true }).optional(),
  });

async function create(ctx: CliContext, cmd: Command) {
  const o = parseOptions(CreateOptions(ctx.now()), { ...cmd.opts(), name: argument(cmd) }, { name: "<name>" });
  const userId = o.user === undefined ? undefined : await resolveUserId(ctx.client, o.user, "--user");
  const key = await ctx.client.call("createApiKey", {
    body: { name: o.name, role: o.role, ...(userId ? { userId } : {}), ...(o.expires ? { expiresAt: o.expires } : {}) },
  });
  if (ctx.json) return ctx.emitJson(key);
  ctx.out(formatApiKeyCreated(key, ctx.colors, ctx.now()));
  ctx.note(formatKeyShownOnceWarning(ctx.errColors));
}

const LsOptions = z.object({ all: z.boolean().default(false), user: z.string().optional() });

async function ls(ctx: CliContext, cmd: Command) {
  const o = parseOptions(LsOptions, cmd.opts());
  const userId = o.user === undefined ? undefined : await resolveUserId(ctx.client, o.user, "--user");
  const items: ApiKeyView[] = [];
  let cursor: string | undefined;
  let page;
  // A tenant has tens of keys, not thousands: every page, so the table is the whole answer.
  do {
    page = await ctx.client.call("listApiKeys", {
      query: {
        limit: 200,
        ...(o.all ? { all: "true" as const } : {}),
        ...(userId ? { userId } : {}),
        ...(cursor ? { cursor } : {}),
      },
    });
    items.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  if (ctx.json) return ctx.emitJson({ items, nextCursor: null, total: page.total });
  if (items.length === 0)
    return ctx.out(
      ctx.colors.dim(o.all ? "no API keys" : "no working API keys (--all shows revoked and expired ones too)"),
    );
  ctx.out(formatApiKeyTable(items, ctx.colors, ctx.now()));
}

async function revoke(ctx: CliContext, cmd: Command) {
  const id = await resolveApiKeyId(ctx.client, argument(cmd));
  const key = await ctx.client.call("revokeApiKey", { params: { id } });
  if (ctx.json) return ctx.emitJson(key);
  ctx.out(
    `revoked API key ${ctx.colors.bold(key.name)} (${formatKeyPrefix(key.prefix)}, ${key.id}): refused from now on, on every replica`,
  );
}

/**
 * `orchestrator keys …`: the tenant's API keys (admin). `--tenant` (global)
 * acts in another tenant, for admins of the default tenant.
 */
export function registerKeys(program: Command): void {
  const keys = program.command("keys").description("API keys of the tenant (admin): create, ls, revoke");
  keys
    .command("create")
    .description("make an API key; it is printed once and never again")
    .argument("<name>", "what the key is for (ci, alice's laptop…)")
    .requiredOption("--role <role>", `its role: ${ROLES.join(", ")} (at most your own)`)
    .option("--user <user>", "act for this user (id, id prefix or email), with the user's role at most")
    .option("--expires <when>", "refused from then on: a duration (30d, 12h, 2w) or an ISO date (2027-01-31)")
    .action(action(create, KEY_HINTS));
  keys
    .command("ls")
    .description("list the keys that work (--all: revoked and expired too); never the keys themselves")
    .option("--all", "revoked and expired keys too")
    .option("--user <user>", "only this user's keys (id, id prefix or email)")
    .action(action(ls, KEY_HINTS));
  keys
    .command("revoke")
    .description("revoke a key at once, on every replica (its open WebSockets are closed)")
    .argument("<key>", "key id, id prefix, or its prefix as `keys ls` shows it (io_…)")
    .action(action(revoke, KEY_HINTS));
}
