import type { Command } from "commander";
import { z } from "zod";
import type { CliContext } from "../context";
import { ExitCode } from "../exit-codes";
import { intOption, parseOptions } from "../options";
import { action } from "../run-command";

const StartOptions = z.object({ demo: z.boolean().optional(), port: intOption(0, 65_535).optional() });

/**
 * Resolves on the first SIGINT/SIGTERM; a second one while stopping exits at
 * once (a stuck shutdown). A signal sent to the whole process group reaches
 * this process twice (directly and relayed by the `tsx` / `npm` wrappers), so
 * one within a second of the first is the same signal, not a second request.
 */
function untilSignal(onSecond: () => void): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    let firstAt = 0;
    const handler = (signal: NodeJS.Signals) => {
      if (firstAt) return Date.now() - firstAt > 1000 ? onSecond() : undefined;
      firstAt = Date.now();
      resolve(signal);
    };
    process.on("SIGINT", handler);
    process.on("SIGTERM", handler);
  });
}

/**
 * The one command that does not go through the API: it boots the server in
 * this process. Loaded lazily so every other command starts fast and never
 * pulls in the database, scheduler or runners.
 */
async function start(ctx: CliContext, cmd: Command) {
  const o = parseOptions(StartOptions, cmd.opts());
  // Listen before booting: Ctrl-C during a slow start (runners spawning) then
  // stops cleanly once it is up, instead of killing half-started children.
  const signalled = untilSignal(() => process.exit(ExitCode.SESSION_UNSUCCESSFUL));
  const { startOrchestrator } = await import("@industrial/server");
  // Only options given on the command line override the environment (ORCHESTRATOR_DEMO=1 stays on without --demo).
  const server = await startOrchestrator({
    env: process.env,
    overrides: { ...(o.demo ? { demo: true } : {}), ...(o.port !== undefined ? { port: o.port } : {}) },
  });
  const demo = server.config.ORCHESTRATOR_DEMO;
  const docsUrl = `${server.url}/docs`;
  if (ctx.json) ctx.emitJson({ url: server.url, docsUrl, demo });
  else {
    // On stderr: stdout is the server's log stream (JSON lines when piped to a collector).
    const c = ctx.errColors;
    ctx.note(`${c.green("orchestrator listening on")} ${c.bold(server.url)}`);
    ctx.note(`API docs: ${docsUrl}`);
    if (demo)
      ctx.note(c.yellow(c.bold("DEMO MODE: sessions run against a SCRIPTED MODEL (a replay server), NOT an LLM.")));
    ctx.note(
      c.dim(
        `try: orchestrator login --url ${server.url}, then orchestrator submit "hello" --wait   (Ctrl-C stops the server)`,
      ),
    );
  }
  const signal = await signalled;
  ctx.note(`${signal}: stopping (running sessions checkpoint and hand their leases back; Ctrl-C again to force)…`);
  // Out within the grace period whatever hangs: the orchestrator (a pod) is killed after it anyway.
  const graceMs = server.config.ORCHESTRATOR_SHUTDOWN_GRACE_SECONDS * 1000;
  setTimeout(() => {
    ctx.note(`still stopping after ${graceMs / 1000} s (ORCHESTRATOR_SHUTDOWN_GRACE_SECONDS): exiting now`);
    process.exit(ExitCode.SESSION_UNSUCCESSFUL);
  }, graceMs).unref();
  await server.stop();
  ctx.note("stopped");
  // stop() closes what the server opened; should a stray handle keep the
  // process alive anyway, leave after a grace period instead of hanging.
  setTimeout(() => process.exit(ExitCode.OK), 2000).unref();
  return ExitCode.OK;
}

export function registerStart(program: Command): void {
  program
    .command("start")
    .description("run the orchestrator server in this process (API, scheduler, runners)")
    .option("--demo", "run sessions against the built-in scripted model instead of an LLM")
    .option("--port <n>", "HTTP port, 0–65535 (0 picks a free one; default PORT or 8000)")
    .action(action(start));
}
