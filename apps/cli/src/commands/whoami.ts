import type { Command } from "commander";
import type { CliContext } from "../context";
import { formatMe } from "../format/access";
import { action } from "../run-command";

/** `/me` as the server sees this CLI: the tenant, role, key and user, and where the key came from. */
async function whoami(ctx: CliContext) {
  const me = await ctx.client.call("me");
  if (ctx.json) return ctx.emitJson(me);
  ctx.out(
    formatMe(me, { url: ctx.url, source: ctx.credentialSource, credentialsPath: ctx.credentialsPath }, ctx.colors),
  );
}

export function registerWhoami(program: Command): void {
  program
    .command("whoami")
    .description("who the server takes you for: tenant, role, key, user (GET /me)")
    .action(action(whoami));
}
