import type { Command } from "commander";
import { createContext, DEFAULT_URL, type CliContext, type GlobalOptions } from "./context";
import { unauthenticatedHint } from "./credential-choice";
import { ExitCode } from "./exit-codes";
import { createColors, shouldUseColor } from "./format/colors";
import { handleError, type ErrorHints } from "./handle-error";

/** A command's body: returns its exit code (nothing means success) or throws for handleError. */
export type CommandHandler = (ctx: CliContext, cmd: Command) => Promise<ExitCode | void>;

/**
 * Wraps a handler as a commander action: builds the context from the global
 * options, runs it, and turns whatever it throws into the documented exit
 * code through the one handleError. Sets `process.exitCode` rather than
 * calling `process.exit`, so stdout is flushed before the process ends.
 * `hints` replace the session-centred suggestions for a 404 or 409; a 401
 * says how to log in, knowing where the refused key came from.
 */
export function action(handler: CommandHandler, hints?: ErrorHints): (...args: unknown[]) => Promise<void> {
  return async (...args) => {
    const cmd = args.at(-1) as Command;
    const globals = cmd.optsWithGlobals<GlobalOptions>();
    const io = { env: process.env, stdout: process.stdout, stderr: process.stderr };
    let ctx: CliContext | undefined;
    try {
      ctx = createContext(globals, io);
      process.exitCode = (await handler(ctx, cmd)) ?? ExitCode.OK;
    } catch (e) {
      const errColors =
        ctx?.errColors ??
        createColors(
          shouldUseColor({
            flag: globals.color !== false,
            json: false,
            isTTY: process.stderr.isTTY === true,
            env: process.env,
          }),
        );
      const url = ctx?.url ?? globals.url ?? process.env.ORCHESTRATOR_URL ?? DEFAULT_URL;
      process.exitCode = handleError(e, {
        json: globals.json === true,
        url,
        errColors,
        stdout: process.stdout,
        stderr: process.stderr,
        hints: { unauthenticated: unauthenticatedHint(ctx?.credentialSource, url), ...hints },
      });
    }
  };
}

/** The first positional argument, as commander parsed it. */
export function argument(cmd: Command, index = 0): string {
  return String(cmd.processedArgs[index] ?? "");
}
