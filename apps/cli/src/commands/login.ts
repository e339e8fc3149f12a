import { ApiError, type MeView } from "@industrial/contracts";
import type { Command } from "commander";
import { z } from "zod";
import { CliError, UsageError } from "../cli-error";
import type { CliContext, GlobalOptions } from "../context";
import { normalizeServerUrl, removeCredential, saveCredential } from "../credentials";
import { ExitCode } from "../exit-codes";
import { parseOptions } from "../options";
import { parseKeyInput, promptHidden, readFirstLine } from "../read-secret";
import { action } from "../run-command";

const LoginOptions = z.object({ keyStdin: z.boolean().default(false) });

/** Keys travel in a header: over plain http to another machine, anyone on the path can read them. */
function isCleartextRemote(url: string): boolean {
  const u = new URL(url);
  return (
    u.protocol === "http:" &&
    !["localhost", "127.0.0.1", "[::1]"].includes(u.hostname) &&
    !u.hostname.startsWith("127.")
  );
}

/** The key to check: --token (history risk, the person's choice), else stdin (piped or --key-stdin), else a hidden prompt. */
async function readKey(ctx: CliContext, token: string | undefined, keyStdin: boolean): Promise<string> {
  if (token !== undefined) {
    if (keyStdin) throw new UsageError("give the key either with --token or on stdin (--key-stdin), not both");
    return token;
  }
  if (keyStdin || !process.stdin.isTTY) return readFirstLine(process.stdin);
  return promptHidden(process.stdin, process.stderr, `API key for ${ctx.url}: `);
}

/** `/me` with the new key: a refusal means nothing is stored, and says why (unknown, revoked, expired). */
async function checkKey(ctx: CliContext, key: string): Promise<MeView> {
  try {
    return await ctx.clientWithKey(key).call("me");
  } catch (e) {
    if (!(e instanceof ApiError) || e.status !== 401) throw e;
    throw new CliError(`${ctx.url} refused this key (${e.message}); nothing was stored`, ExitCode.USAGE, {
      suggestion:
        "check that the whole key was pasted (io_<prefix>_<secret>, shown once when it was made); an admin makes a new one with `orchestrator keys create`",
    });
  }
}

async function login(ctx: CliContext, cmd: Command) {
  const o = parseOptions(LoginOptions, cmd.opts());
  const globals = cmd.optsWithGlobals<GlobalOptions>();
  const key = parseKeyInput(await readKey(ctx, globals.token, o.keyStdin));
  const me = await checkKey(ctx, key);
  const entry = saveCredential(ctx.credentialsPath, { url: ctx.url, key }, ctx.now());
  if (ctx.json) return ctx.emitJson({ url: entry.url, credentialsPath: ctx.credentialsPath, me });
  const c = ctx.colors;
  ctx.out(`logged in to ${entry.url} as ${c.bold(me.role)} of tenant ${me.tenantId}`);
  ctx.out(c.dim(`key stored in ${ctx.credentialsPath} (readable by you only)`));
  if (ctx.overridingCredential === "ORCHESTRATOR_TOKEN")
    ctx.note(
      c.yellow("note: ORCHESTRATOR_TOKEN is set and takes precedence over the stored key; unset it to use this login"),
    );
  if (!me.authEnabled) ctx.note(c.yellow("note: this server does not check keys (ORCHESTRATOR_AUTH=off)"));
  if (isCleartextRemote(entry.url))
    ctx.note(
      c.yellow(
        `warning: ${entry.url} is plain http to another machine: the key crosses the network unencrypted; use https`,
      ),
    );
}

async function logout(ctx: CliContext) {
  const url = normalizeServerUrl(ctx.url);
  const removed = removeCredential(ctx.credentialsPath, url);
  if (ctx.json) return ctx.emitJson({ url, removed, credentialsPath: ctx.credentialsPath });
  if (!removed) return ctx.out(ctx.colors.dim(`no key was stored for ${url}; nothing to do`));
  ctx.out(`logged out of ${url}: its key is removed from ${ctx.credentialsPath}`);
  // Logging out forgets the key here; it does not stop the key working elsewhere.
  ctx.note(ctx.colors.dim("the key itself still works until it is revoked (`orchestrator keys revoke <prefix>`)"));
}

export function registerLogin(program: Command): void {
  program
    .command("login")
    .description("check an API key with the server and store it for its URL (--url; asks for the key, hidden)")
    .option("--key-stdin", "read the key from the first line of stdin instead of asking (for scripts)")
    .addHelpText(
      "after",
      "\nThe key is asked for with the input hidden; piped stdin is read without asking. --token <key> works too, but leaves the key in shell history.\nStored in $XDG_CONFIG_HOME/industrial-orchestrator/credentials (else ~/.config/…), mode 0600, one entry per server URL.\n",
    )
    .action(action(login));
}

export function registerLogout(program: Command): void {
  program
    .command("logout")
    .description("forget the key stored for the server URL (--url); the key itself stays valid until revoked")
    .action(action(logout));
}
