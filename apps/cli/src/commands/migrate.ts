import type { Command } from "commander";
import type { CliContext } from "../context";
import { ExitCode } from "../exit-codes";
import { action } from "../run-command";

/** Applies the storage migrations (also done by `start`) without starting the server. */
async function migrate(ctx: CliContext) {
  const { migrateStorage } = await import("@industrial/server");
  const result = await migrateStorage({ env: process.env });
  if (ctx.json) ctx.emitJson(result);
  else
    ctx.out(
      result.applied.length
        ? `applied ${result.applied.join(", ")} (${result.storage})`
        : `already up to date (${result.storage}, version ${result.version})`,
    );
  return ExitCode.OK;
}

export function registerMigrate(program: Command): void {
  program
    .command("migrate")
    .description("apply database migrations (DATABASE_URL, or the embedded store in ORCHESTRATOR_DATA_DIR)")
    .action(action(migrate));
}
