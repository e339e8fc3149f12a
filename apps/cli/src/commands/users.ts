import type { UserView } from "@industrial/contracts";
import { ROLES } from "@industrial/core";
import type { Command } from "commander";
import { z } from "zod";
import type { CliContext } from "../context";
import { formatUserLine, formatUserTable } from "../format/access";
import type { ErrorHints } from "../handle-error";
import { enumOption, parseOptions } from "../options";
import { resolveUserId } from "../resolve-id";
import { action, argument } from "../run-command";

const USER_HINTS: ErrorHints = {
  notFound: "list users with `orchestrator users ls` and check the id or email",
  conflict: "another user may have this email already: `orchestrator users ls`",
};

const Name = z.string().trim().min(1, { error: "must not be empty" }).max(200);
const Email = z.email({ error: "must be an email address" });

async function ls(ctx: CliContext) {
  const items: UserView[] = [];
  let cursor: string | undefined;
  let page;
  // Every page: the table is the whole answer (--json too).
  do {
    page = await ctx.client.call("listUsers", { query: { limit: 200, ...(cursor ? { cursor } : {}) } });
    items.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  if (ctx.json) return ctx.emitJson({ items, nextCursor: null, total: page.total });
  if (items.length === 0)
    return ctx.out(
      ctx.colors.dim("no users yet; add one with `orchestrator users add <name> --email <email> --role <role>`"),
    );
  ctx.out(formatUserTable(items, ctx.colors, ctx.now()));
}

const AddOptions = z.object({ name: Name, email: Email, role: enumOption(ROLES) });

async function add(ctx: CliContext, cmd: Command) {
  const o = parseOptions(AddOptions, { ...cmd.opts(), name: argument(cmd) }, { name: "<name>" });
  const user = await ctx.client.call("createUser", { body: o });
  if (ctx.json) return ctx.emitJson(user);
  ctx.out(`added user ${formatUserLine(user, ctx.colors)}`);
  ctx.note(ctx.colors.dim(`give them a key: orchestrator keys create <name> --user ${user.email} --role ${user.role}`));
}

const SetOptions = z
  .object({ name: Name.optional(), email: Email.optional(), role: enumOption(ROLES).optional() })
  .refine((o) => o.name !== undefined || o.email !== undefined || o.role !== undefined, {
    error: "give at least one of --name, --email, --role",
  });

async function set(ctx: CliContext, cmd: Command) {
  const o = parseOptions(SetOptions, cmd.opts());
  const id = await resolveUserId(ctx.client, argument(cmd));
  const user = await ctx.client.call("patchUser", { params: { id }, body: o });
  if (ctx.json) return ctx.emitJson(user);
  ctx.out(`changed user ${formatUserLine(user, ctx.colors)}`);
}

async function rm(ctx: CliContext, cmd: Command) {
  const given = argument(cmd);
  const id = await resolveUserId(ctx.client, given);
  const res = await ctx.client.call("deleteUser", { params: { id } });
  if (ctx.json) return ctx.emitJson(res);
  ctx.out(
    `removed user ${ctx.colors.bold(given)}${given === id ? "" : ctx.colors.gray(` (${id})`)}; ${res.revokedKeys} key${res.revokedKeys === 1 ? "" : "s"} of it revoked`,
  );
}

/**
 * `orchestrator users …`: the tenant's users (admin). A user's keys act with
 * the user's role unless narrower; `--tenant` (global) acts in another tenant.
 */
export function registerUsers(program: Command): void {
  const users = program.command("users").description("users of the tenant (admin): ls, add, set, rm");
  users.command("ls").description("list users: id, name, email, role, created").action(action(ls, USER_HINTS));
  users
    .command("add")
    .description("add a user")
    .argument("<name>", "the person's name")
    .requiredOption("--email <email>", "their email (unique in the tenant)")
    .requiredOption("--role <role>", `their role: ${ROLES.join(", ")}`)
    .action(action(add, USER_HINTS));
  users
    .command("set")
    .description("change a user's name, email or role (their keys follow at once)")
    .argument("<user>", "user id, id prefix or email")
    .option("--name <name>", "new name")
    .option("--email <email>", "new email")
    .option("--role <role>", `new role: ${ROLES.join(", ")}`)
    .action(action(set, USER_HINTS));
  users
    .command("rm")
    .description("remove a user and revoke every key of it")
    .argument("<user>", "user id, id prefix or email")
    .action(action(rm, USER_HINTS));
}
