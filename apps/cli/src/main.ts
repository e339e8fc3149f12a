/**
 * orchestrator — the command line of Industrial Orchestrator.
 *
 * Every command talks to the server through the typed API client of
 * @industrial/contracts (the same door as the dashboard), except `start`,
 * which boots the server in this process.
 *
 * Exit codes (also in apps/cli/README.md; scripts rely on them):
 *   0  success; for `submit --wait` and `logs -f`: the session completed
 *   1  the session ended failed / timeout / stopped / cancelled /
 *      partially_completed / orphaned (`submit --wait`, `logs -f`);
 *      `checkpoints --verify` found a broken chain; `agents route` found no
 *      agent that can take the session; `tasks execute --wait` ended without
 *      the root completed; an unexpected CLI error
 *   2  usage or invalid input: bad options or arguments, API 400 (and the
 *      other 4xx: 401, 403, 413, 422, 429), invalid server config for `start`
 *   3  not found: API 404, or an id prefix (or agent name) that matches nothing
 *   4  conflict: API 409 (invalid transition, e.g. pause on a completed session;
 *      an agent name already taken; removing an agent that still runs sessions;
 *      a task dependency that would close a cycle)
 *   5  server unreachable, timed out, 5xx, or an answer that is not our API
 *
 * Global options: --url <url> (default $ORCHESTRATOR_URL or
 * http://127.0.0.1:8000), --json (exactly one JSON document on stdout; errors
 * as {"error": …}), --no-color (NO_COLOR is honoured too), --token <key>
 * (else $ORCHESTRATOR_TOKEN, else the key `login` stored for the URL),
 * --tenant <id> (else $ORCHESTRATOR_TENANT: X-Tenant-Id).
 */
import { Command, CommanderError } from "commander";
import { registerAgents } from "./commands/agents";
import { registerAudit } from "./commands/audit";
import { registerKeys } from "./commands/keys";
import { registerLogin, registerLogout } from "./commands/login";
import { registerUsers } from "./commands/users";
import { registerCancel } from "./commands/cancel";
import { registerCheckpoints } from "./commands/checkpoints";
import { registerInbox } from "./commands/inbox";
import { registerLogs } from "./commands/logs";
import { registerLs } from "./commands/ls";
import { registerPause } from "./commands/pause";
import { registerReply } from "./commands/reply";
import { registerResume } from "./commands/resume";
import { registerRetry } from "./commands/retry";
import { registerShow } from "./commands/show";
import { registerMigrate } from "./commands/migrate";
import { registerStart } from "./commands/start";
import { registerStop } from "./commands/stop";
import { registerSubmit } from "./commands/submit";
import { registerTasks } from "./commands/tasks";
import { registerWhoami } from "./commands/whoami";
import { DEFAULT_URL } from "./context";
import { ExitCode } from "./exit-codes";

function createProgram(): Command {
  const program = new Command("orchestrator")
    .description("Run and watch autonomous coding-agent sessions on an Industrial Orchestrator server")
    .version("0.1.0")
    .option("--url <url>", `server URL (default: $ORCHESTRATOR_URL or ${DEFAULT_URL})`)
    .option("--json", "machine output: exactly one JSON document on stdout")
    .option("--no-color", "plain text without colours (NO_COLOR works too)")
    // Required by scripts that cannot keep a file; a key in argv lands in shell history and `ps`, hence the warning.
    .option(
      "--token <key>",
      "API key for this run (beats $ORCHESTRATOR_TOKEN and `login`; visible in shell history and ps: prefer those)",
    )
    .option(
      "--tenant <id>",
      "act in this tenant (admins of the default tenant; default: $ORCHESTRATOR_TENANT, else the key's own)",
    )
    .showHelpAfterError("(run with --help for usage)")
    // Commander would exit 1 on a usage error; ours is 2. Subcommands inherit this.
    .exitOverride();
  for (const register of [
    registerStart,
    registerMigrate,
    registerSubmit,
    registerLs,
    registerShow,
    registerLogs,
    registerPause,
    registerResume,
    registerStop,
    registerCancel,
    registerRetry,
    registerCheckpoints,
    registerInbox,
    registerReply,
    registerAgents,
    registerTasks,
    registerLogin,
    registerLogout,
    registerWhoami,
    registerKeys,
    registerUsers,
    registerAudit,
  ])
    register(program);
  return program;
}

async function main(argv: string[]): Promise<void> {
  try {
    await createProgram().parseAsync(argv);
  } catch (e) {
    if (!(e instanceof CommanderError)) throw e;
    // Help and --version "fail" with exit code 0; everything else commander rejects is usage.
    process.exitCode = e.exitCode === 0 ? ExitCode.OK : ExitCode.USAGE;
    // Commander already printed its message on stderr; --json callers still get their one document.
    if (e.exitCode !== 0 && argv.includes("--json"))
      process.stdout.write(
        `${JSON.stringify({ error: { message: e.message.replace(/^error: /, ""), code: "USAGE", details: [], exitCode: ExitCode.USAGE } }, null, 2)}\n`,
      );
  }
}

await main(process.argv);
